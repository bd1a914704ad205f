"""Running the real bot (python-telegram-bot's HTTP stack) against the Bot API stand-in, and
playing a person through the interview by pressing the buttons they see."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import rules
from bot.config import load_settings
from bot.polling import start_apps, stop_apps
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, ChatInfo, MessageRecord, TelegramClient

MUTATING = {"sendMessage", "editMessageText", "deleteMessages", "deleteMessage",
            "answerCallbackQuery", "editMessageReplyMarkup"}


def bot_env(api: BotAPIStandIn, **extra: str) -> dict[str, str]:
    env = {
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
        "BOT_DEFAULT_LANGUAGE": "ru",
    }
    env.update(extra)
    return env


@contextlib.asynccontextmanager
async def running_bot(api: BotAPIStandIn, env: Mapping[str, str] | None = None,
                      ruleset: rules.RuleSet | None = None) -> AsyncIterator[list[Any]]:
    settings = load_settings(env or bot_env(api))
    rs = ruleset or rules.load(settings.rules_path)
    apps = await start_apps(settings, rs, force=False)
    try:
        yield apps
    finally:
        await stop_apps(apps)


async def settle(api: BotAPIStandIn, quiet: float = 0.25, limit: float = 20.0) -> None:
    """Wait until the bot has fetched every update sent to it and then made no API call for
    `quiet` seconds (robust on a loaded machine: the quiet period starts only once the bot has
    the updates)."""
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
        pending = any(not c.done for c in calls)
        if n != last or pending:
            last = n
            stable_since = time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot kept calling the API or did not fetch its updates")


class Person:
    """A person in a private chat, who reads the last bot message and presses its buttons."""

    def __init__(self, api: BotAPIStandIn, people: TelegramClient, name: str = "Ivan",
                 language_code: str | None = "ru") -> None:
        self.api = api
        self.people = people
        self.user = people.user(name, language_code=language_code)
        self.chat: ChatInfo = people.private_chat(self.user)

    async def say(self, text: str, replies: int = 1) -> None:
        """Send text and wait for the bot's replies (slow ones, like a reload, included)."""
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
        msg = message or self.with_buttons()
        query = self.people.press_button(self.chat, self.user, msg, label)
        # The bot answers a press first, then edits: wait for the answer, then for quiet.
        await self.api.wait_for(lambda: self.api.answer_for(query) is not None, timeout=15)
        await settle(self.api)
        return query

    async def press_data(self, data: str, message: MessageRecord | None = None) -> str:
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
