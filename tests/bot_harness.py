"""Running the real bot (python-telegram-bot's HTTP stack) against the Bot API stand-in, and
playing a person through the interview by pressing the buttons they see."""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Mapping
from typing import Any

import rules
from bot.config import load_settings
from bot.gate import PRIVATE_BURST, PRIVATE_PER_SECOND, TOO_FAST
from bot.polling import start_apps, stop_apps
from interview.i18n import tr
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, ChatInfo, MessageRecord, TelegramClient

MUTATING = {"sendMessage", "editMessageText", "deleteMessages", "deleteMessage",
            "answerCallbackQuery", "editMessageReplyMarkup"}
# The bots running in this process, by the stand-in they talk to: `settle` asks them whether every
# update they took is handled instead of only waiting for a quiet spell on the wire.
_IN_PROCESS: weakref.WeakKeyDictionary[BotAPIStandIn, list[Any]] = weakref.WeakKeyDictionary()
# With the bots' own word that they are done, a short spell guards only against paths that run
# outside an update's handling (none known).
IN_PROCESS_QUIET = 0.03
TOO_FAST_TEXTS = {tr(lang).gettext(TOO_FAST) for lang in ("ru", "en")}


def bot_env(api: BotAPIStandIn, **extra: str) -> dict[str, str]:
    env = {
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
        "BOT_DEFAULT_LANGUAGE": "ru",
    }
    env.update(extra)
    return env


_BUNDLED: list[rules.RuleSet] = []


def bundled_rules() -> rules.RuleSet:
    """The bundled rule base, loaded (and its tests run) once per process: a RuleSet is immutable,
    and loading it is most of the CPU time of a bot's start."""
    if not _BUNDLED:
        _BUNDLED.append(rules.load())
    return _BUNDLED[0]


@contextlib.asynccontextmanager
async def running_bot(api: BotAPIStandIn, env: Mapping[str, str] | None = None,
                      ruleset: rules.RuleSet | None = None) -> AsyncIterator[list[Any]]:
    settings = load_settings(env or bot_env(api))
    rs = ruleset or (rules.load(settings.rules_path) if settings.rules_path else bundled_rules())
    apps = await start_apps(settings, rs, force=False)
    mine = _IN_PROCESS.setdefault(api, [])
    mine.extend(apps)
    try:
        yield apps
    finally:
        for app in apps:
            mine.remove(app)
        await stop_apps(apps)


def bot_idle(api: BotAPIStandIn) -> bool:
    """True when bots run in this process against `api`, and they have fetched every update sent
    to them and finished handling each (API calls made in handling included): every update put on
    an application's queue is marked done by python-telegram-bot once its handling ends."""
    apps = _IN_PROCESS.get(api)
    if not apps or any(api.pending_updates(token) for token in api.tokens):
        return False
    return all(app.update_queue.qsize() == 0 and app.update_queue._unfinished_tasks == 0
               for app in apps)


async def handled(api: BotAPIStandIn, limit: float = 20.0) -> None:
    """Wait until the bots running in this process against `api` have handled every update sent
    to them (`bot_idle`): exact, with no quiet spell to wait out."""
    if not _IN_PROCESS.get(api):
        raise AssertionError("no bot runs in this process against this stand-in")
    deadline = time.monotonic() + limit
    while not bot_idle(api):
        if time.monotonic() > deadline:
            raise AssertionError("the bot did not finish handling its updates")
        await asyncio.sleep(0.005)


async def settle(api: BotAPIStandIn, quiet: float = 0.25, limit: float = 20.0) -> None:
    """Wait until the bot has fetched every update sent to it and then made no API call for
    `quiet` seconds (robust on a loaded machine: the quiet period starts only once the bot has
    the updates). A bot running in this process also has to have finished handling every update
    (`bot_idle`); then a much shorter spell will do."""
    in_process = bool(_IN_PROCESS.get(api))
    if in_process:
        quiet = min(quiet, IN_PROCESS_QUIET)
    deadline = time.monotonic() + limit
    last = -1
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        if any(api.pending_updates(token) for token in api.tokens):
            stable_since = time.monotonic()
            await asyncio.sleep(0.01)
            continue
        calls = [c for c in api.calls() if c.method in MUTATING]
        n = len(calls)
        pending = any(not c.done for c in calls) or (in_process and not bot_idle(api))
        if n != last or pending:
            last = n
            stable_since = time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot kept calling the API or did not fetch its updates")


class Pace:
    """A person who presses and types no faster than the bot admits one chat's updates (the
    gate's burst, then its sustained rate; with a margin, since the gate's clock reads each update
    a moment after it was sent): what a quick reader does, and what the bot answers in full."""

    def __init__(self) -> None:
        self.capacity = PRIVATE_BURST - 2
        self.rate = PRIVATE_PER_SECOND * 0.9
        self.tokens = float(self.capacity)
        self.last = time.monotonic()

    async def next(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            await asyncio.sleep((1 - self.tokens) / self.rate)
            self.tokens, self.last = 1.0, time.monotonic()
        self.tokens -= 1


class Person:
    """A person in a private chat, who reads the last bot message and presses its buttons."""

    def __init__(self, api: BotAPIStandIn, people: TelegramClient, name: str = "Ivan",
                 language_code: str | None = "ru") -> None:
        self.api = api
        self.people = people
        self.user = people.user(name, language_code=language_code)
        self.chat: ChatInfo = people.private_chat(self.user)
        self.pace = Pace()

    async def say(self, text: str, replies: int = 1) -> None:
        """Send text and wait for the bot's replies (slow ones, like a reload, included)."""
        await self.pace.next()
        before = len(self.api.chat(self.chat.id).bot_messages)
        self.people.send_text(self.chat, self.user, text)
        if replies:
            await self.api.wait_for(
                lambda: len(self.api.chat(self.chat.id).bot_messages) >= before + replies,
                timeout=15)
        await settle(self.api)

    def last(self) -> MessageRecord:
        msg = self.api.last_bot_message(self.chat.id)
        assert msg is not None, "the bot has sent nothing"
        return msg

    def with_buttons(self) -> MessageRecord:
        """The newest visible bot message that has buttons."""
        for msg in reversed(self.api.chat(self.chat.id).bot_messages):
            if not msg.deleted and msg.inline_keyboard:
                return msg
        raise AssertionError("no message with buttons")

    def buttons(self) -> list[str]:
        return [b for row in self.with_buttons().buttons for b in row]

    async def press(self, label: str, message: MessageRecord | None = None) -> str:
        await self.pace.next()
        msg = message or self.with_buttons()
        query = self.people.press_button(self.chat, self.user, msg, label)
        # The bot answers a press first, then edits: wait for the answer, then for quiet.
        answer = await self.api.wait_for(lambda: self.api.answer_for(query), timeout=15)
        assert answer.text not in TOO_FAST_TEXTS, "the person pressed faster than the bot admits"
        await settle(self.api)
        return query

    async def press_data(self, data: str, message: MessageRecord | None = None) -> str:
        await self.pace.next()
        msg = message or self.with_buttons()
        query = self.people.press(self.chat, self.user, msg, data)
        await settle(self.api)
        return query

    def text(self) -> str:
        return self.with_buttons().text or ""

    def visible(self) -> str:
        return self.api.visible_text(self.chat.id)


def question_shown(rs: rules.RuleSet, text: str, lang: str) -> str | None:
    for q in rs.questions:
        if q.text.get(lang) in text:
            return q.id
    return None


async def answer_until_review(person: Person, rs: rules.RuleSet, answers: Mapping[str, str],
                              lang: str, limit: int = 30) -> list[str]:
    """Answer each question shown with the label given for it (or "I don't know"), until the
    review screen; returns the question ids asked, in order."""
    asked: list[str] = []
    review = "Check your answers" if lang == "en" else "Проверьте ответы"
    for _ in range(limit):
        text = person.text()
        if review in text:
            return asked
        qid = question_shown(rs, text, lang)
        assert qid is not None, f"neither a question nor the review: {text[:200]}"
        assert qid not in asked or qid == "family_duties", f"{qid} asked twice"
        asked.append(qid)
        label = answers.get(qid)
        assert label is not None, f"no answer prepared for {qid}"
        for part in label.split("|"):  # a checklist: tick several, then Done
            await person.press(part)
    raise AssertionError("the interview did not reach the review")
