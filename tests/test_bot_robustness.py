"""Bad input gets a polite answer and never a crash or lost state; nothing is kept; the token never
appears in output; a killed process loses nothing."""

from __future__ import annotations

import base64
import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rules
from bot.config import load_settings
from interview.state_codec import StateCodec
from interview.views import Screen
from tests.bot_harness import Person, answer_until_review, bot_env, settle
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, TelegramClient
from tests.test_bot_interview import RS, label, persona

pytestmark = pytest.mark.asyncio
ROOT = Path(__file__).resolve().parent.parent


def person(api: BotAPIStandIn, lang: str = "en") -> Person:
    return Person(api, TelegramClient(api), language_code=lang)


def codec(api: BotAPIStandIn) -> StateCodec:
    return StateCodec(load_settings(bot_env(api)).secrets_for(0))


async def test_forged_and_garbled_buttons_get_a_short_answer_and_nothing_else(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api)
    await p.say("/check")
    msg = p.with_buttons()
    before = (msg.text, msg.reply_markup)
    sends = len(api.calls(method="sendMessage"))
    real = msg.inline_keyboard[0][0]["callback_data"]
    flipped = ("A" if real[5] != "A" else "B").join([real[:5], real[6:]])
    for data in (flipped, "garbage", "x" * 64, base64.urlsafe_b64encode(os.urandom(35)).decode()
                 .rstrip("=")):
        query = await p.press_data(data, msg)
        answer = api.answer_for(query)
        assert answer is not None and answer.text and len(answer.text) <= 200
    after = api.chat(p.chat.id).message(msg.message_id)
    assert (after.text, after.reply_markup) == before
    assert len(api.calls(method="sendMessage")) == sends


async def test_a_button_from_an_older_rule_base_continues_when_its_answers_still_fit(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api)
    await p.say("/check")
    msg = p.with_buttons()
    c = codec(api)
    state = c.decode(msg.inline_keyboard[0][0]["callback_data"], p.chat.id)
    old = dataclasses.replace(state, rules_version="0badc0de")
    await p.press_data(c.encode(old, p.chat.id), msg)
    assert RS.question_by_id["military_status"].text.en in p.text()


async def test_a_button_whose_answer_the_new_rule_base_no_longer_offers_restarts_politely(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api)
    await p.say("/check")
    msg = p.with_buttons()
    c = codec(api)
    state = c.decode(msg.inline_keyboard[0][0]["callback_data"], p.chat.id)
    # children_under_16 = 6 is not an answer the current questions offer.
    old = dataclasses.replace(state, rules_version="0badc0de", facts={"children_under_16": 6},
                              screen=int(Screen.ASK))
    query = await p.press_data(c.encode(old, p.chat.id), msg)
    assert "rules have been updated" in (api.answer_for(query).text or "")  # type: ignore[union-attr]
    assert "start again" in p.text().lower()


async def test_a_double_tap_is_harmless(api: BotAPIStandIn, bot: list[object]) -> None:
    p = person(api)
    await p.say("/check")
    msg = p.with_buttons()
    data = msg.button(label(RS, "sex", "male", "en"))["callback_data"]
    q1 = p.people.press(p.chat, p.user, msg, data)
    q2 = p.people.press(p.chat, p.user, msg, data)
    await settle(api)
    assert api.answer_for(q1) is not None and api.answer_for(q2) is not None
    assert RS.question_by_id["military_status"].text.en in p.text()
    errors = [c for c in api.calls(method="editMessageText") if c.error_code]
    assert all("not modified" in (c.description or "") for c in errors)
    assert "Sorry" not in p.visible()


async def test_flood_control_retries_and_the_reply_arrives(api: BotAPIStandIn,
                                                           bot: list[object]) -> None:
    p = person(api)
    api.inject_429(DEFAULT_TOKEN, count=2, retry_after=1)
    p.people.send_text(p.chat, p.user, "/check")
    # The rate limiter waits out each retry_after, then the reply arrives.
    await api.wait_for(lambda: api.last_bot_message(p.chat.id), timeout=10)
    assert RS.question_by_id["sex"].text.en in p.text()
    assert any(c.error_code == 429 for c in api.calls())


async def test_delete_this_conversation_removes_the_interview_and_says_what_remains(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api)
    await p.say("/check")
    await answer_until_review(p, RS, persona("en"), "en")
    await p.press("✅ See the result")
    await p.press("🗑 Delete this conversation")
    calls = api.calls(method="deleteMessages")
    assert calls
    view = api.chat(p.chat.id)
    interview = [m for m in view.messages if not m.deleted]
    # Only the note on what remains is left, with a button to start again.
    assert len([m for m in interview if m.from_bot]) == 1
    assert "older than 48 hours" in (p.last().text or "")
    assert not [m for m in view.messages if not m.from_bot and not m.deleted]


async def test_commands_and_descriptions_are_registered_per_scope_and_language(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    private = {"type": "all_private_chats"}
    ru = [c["command"] for c in api.commands(private, "ru")]
    assert ru == ["check", "language", "help", "privacy", "sources", "offline", "about"]
    assert api.commands(private, "ru")[0]["description"] == "Начать проверку"
    for code in ("uk", "be", "kk"):
        assert api.commands(private, code) == api.commands(private, "ru")
    assert api.commands(private, "")[0]["description"] == "Start the questions"
    assert "Decree No. 647" in api.description("")
    assert "Указ" in api.description("ru") or "указ" in api.description("ru")
    assert api.short_description("en")


async def test_pages_answer_in_the_persons_language_with_a_toggle(api: BotAPIStandIn,
                                                                  bot: list[object]) -> None:
    p = person(api, "uk")  # Ukrainian Telegram: answered in Russian
    await p.say("/privacy")
    assert "не хранит" in p.text() or "Ничего" in p.text()
    await p.press("🌐 English")
    assert "What the server keeps: no answers." in p.text()
    await p.say("/about")
    assert "never asks for documents" not in p.text()  # typed commands follow Telegram's language
    p2 = person(api, "de")
    await p2.say("/about")
    assert "never asks for documents, a phone number or money" in p2.text()


async def test_the_verdict_is_split_on_ground_boundaries_when_long(api: BotAPIStandIn,
                                                                  bot: list[object]) -> None:
    # Everything unknown: many possible grounds, a long verdict.
    p = person(api, "ru")
    await p.say("/check 2022-10-10")
    for _ in range(30):
        if "Проверьте ответы" in p.text():
            break
        buttons = p.buttons()
        pick = "Не знаю" if "Не знаю" in buttons else buttons[0]
        if "✔ Готово" in buttons:
            pick = "✔ Готово"
        await p.press(pick)
    await p.press(p.buttons()[0])
    messages = [m for m in api.chat(p.chat.id).bot_messages if not m.deleted]
    for m in messages:
        assert len(m.text or "") <= 4096 and m.entities_count <= 100


# --- the process ---------------------------------------------------------------------------------


def start_bot_process(api: BotAPIStandIn, log_level: str = "INFO") -> subprocess.Popen[str]:
    env = {**os.environ, **bot_env(api), "LOG_LEVEL": log_level, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_polling(api: BotAPIStandIn, since: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(api.calls(method="getUpdates")) > since:
            return
        time.sleep(0.05)
    raise AssertionError("the bot process did not start polling")


async def test_killing_the_process_mid_interview_loses_nothing(api: BotAPIStandIn) -> None:
    proc = start_bot_process(api)
    try:
        wait_polling(api, 0)
        p = person(api)
        await p.say("/check")
        await p.press(label(RS, "sex", "male", "en"))
        await p.press(label(RS, "military_status", "reserve", "en"))
        old_message = p.with_buttons()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        polls = len(api.calls(method="getUpdates"))
        proc = start_bot_process(api)
        wait_polling(api, polls)
        # The button of the message shown before the kill continues from exactly there.
        await p.press(label(RS, "citizen", "citizen", "en"), old_message)
        answers = persona("en")
        await answer_until_review(p, RS, answers, "en")
        await p.press("✅ See the result")
        # The answers given before the kill (a man in the reserve) still count.
        assert "Mobilization: can be called up" in p.visible()
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
async def test_the_token_never_appears_in_the_output(api: BotAPIStandIn, level: str) -> None:
    proc = start_bot_process(api, level)
    try:
        wait_polling(api, 0)
        p = person(api)
        await p.say("/check")
        await p.press(label(RS, "sex", "male", "en"))
        await p.press_data("forged-data-that-is-not-a-state")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    secret = DEFAULT_TOKEN.split(":")[1]
    assert secret not in out and secret not in err
    assert str(p.user.id) not in err or level == "DEBUG"
    if level == "DEBUG":
        assert err  # it did log something


async def test_a_rejected_token_is_reported_by_position(api: BotAPIStandIn) -> None:
    env = {**os.environ, **bot_env(api), "PYTHONPATH": str(ROOT),
           "TELEGRAM_BOT_TOKEN": "999999:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "token #1" in proc.stderr
    assert "AAAAAAAAAAAAAAAAAAAA" not in proc.stderr + proc.stdout


async def test_running_without_a_token_says_which_variable_is_missing() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in proc.stderr


async def test_a_webhook_set_for_the_token_stops_polling_unless_forced(api: BotAPIStandIn) -> None:
    from telegram import Bot

    async with Bot(DEFAULT_TOKEN, base_url=api.base_url) as tg:
        await tg.set_webhook("https://example.org/hook")
    env = {**os.environ, **bot_env(api), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "webhook" in proc.stderr
    assert api.webhook_url() == "https://example.org/hook"


async def test_rules_module_never_imports_telegram() -> None:
    code = "import sys, rules; rules.load(); print('telegram' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout.strip() == "False"
    assert rules.load().version == RS.version
