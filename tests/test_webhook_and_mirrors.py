"""Webhook mode refuses what Telegram did not send; one process serves several bot accounts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bot_harness import Person, bot_env
from tests.botapi import DEFAULT_TOKEN, BotAPIStandIn, BotInfo, TelegramClient
from tests.test_bot_interview import RS, label

pytestmark = pytest.mark.asyncio
ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-Token_1"
SECOND = "654321:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
REJECTED = "999999:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def api() -> Iterator[BotAPIStandIn]:
    bots = {DEFAULT_TOKEN: BotInfo(id=int(DEFAULT_TOKEN.split(":")[0]), username="exempt_test_bot",
                                   first_name="Exempt"),
            SECOND: BotInfo(id=654321, username="exempt_mirror_bot", first_name="Mirror")}
    with BotAPIStandIn(tokens=bots) as standin:
        yield standin


def start(api: BotAPIStandIn, port: int, *tokens: str, mode: str = "webhook",
          preexec_fn: Callable[[], None] | None = None, **extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, **bot_env(api), "PYTHONPATH": str(ROOT),
           "TELEGRAM_BOT_TOKEN": ",".join(tokens),
           "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
           "WEBHOOK_SECRET": SECRET, **extra}
    return subprocess.Popen([sys.executable, "-m", "bot", mode], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=preexec_fn)


def wait_serving(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the webhook server did not come up")


def post(port: int, path: str, body: dict[str, object], secret: str | None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


async def test_the_webhook_serves_telegram_and_refuses_everyone_else(api: BotAPIStandIn) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN)
    try:
        wait_serving(port)
        hook = api.calls(method="setWebhook")[-1].params
        assert hook["url"] == f"http://127.0.0.1:{port}/hook"
        assert hook["secret_token"] == SECRET
        assert "my_chat_member" in str(hook["allowed_updates"])
        assert int(hook["max_connections"]) == 40  # WEBHOOK_MAX_CONNECTIONS' default
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/check")  # delivered by the stand-in with the secret header
        assert RS.question_by_id["sex"].text.en in p.text()
        # Forged posts: wrong or missing secret -> 403, and nothing is processed.
        sends = len(api.calls(method="sendMessage"))
        update = {"update_id": 99999, "message": {
            "message_id": 1, "date": 0, "chat": {"id": p.chat.id, "type": "private"},
            "from": {"id": p.user.id, "is_bot": False, "first_name": "X"}, "text": "/check",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        assert post(port, "/hook", update, "wrong") == 403
        assert post(port, "/hook", update, None) == 403
        assert post(port, "/elsewhere", update, SECRET) in (404, 405)
        time.sleep(0.5)
        assert len(api.calls(method="sendMessage")) == sends
        # With the secret the same post is processed.
        assert post(port, "/hook", update, SECRET) == 200
        await api.wait_for(lambda: len(api.calls(method="sendMessage")) > sends, timeout=10)
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert api.webhook_url() == f"http://127.0.0.1:{port}/hook"  # left registered
    assert DEFAULT_TOKEN.split(":")[1] not in err


async def test_webhook_mode_needs_a_secret(api: BotAPIStandIn) -> None:
    port = free_port()
    env = {**os.environ, **bot_env(api), "PYTHONPATH": str(ROOT),
           "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook"}
    env.pop("WEBHOOK_SECRET", None)
    out = subprocess.run([sys.executable, "-m", "bot", "webhook"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "WEBHOOK_SECRET" in out.stderr


async def test_two_tokens_are_served_by_one_process_each_on_its_own_path(
    api: BotAPIStandIn,
) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN, SECOND)
    try:
        wait_serving(port)
        urls = {c.token: c.params["url"] for c in api.calls(method="setWebhook")}
        assert urls[DEFAULT_TOKEN].endswith("/hook/123456")
        assert urls[SECOND].endswith("/hook/654321")
        main = Person(api, TelegramClient(api), language_code="en")
        await main.say("/check")
        assert RS.question_by_id["sex"].text.en in main.text()
        people = TelegramClient(api, SECOND)
        user = people.user("M", language_code="en")
        chat = people.private_chat(user)
        people.send_text(chat, user, "/check")
        mirror_msg = await api.wait_for(lambda: api.last_bot_message(chat.id, SECOND), timeout=10)
        assert mirror_msg is not None and RS.question_by_id["sex"].text.en in (mirror_msg.text or "")
        # Each bot signs its own buttons: a mirror's button does not work on the main bot.
        data = mirror_msg.inline_keyboard[0][0]["callback_data"]
        query = main.people.press(main.chat, main.user, main.with_buttons(), data)
        await api.wait_for(lambda: api.answer_for(query) is not None, timeout=10)
    finally:
        code, _ = stop(proc)
    assert code == 0


async def test_polling_skips_a_rejected_token_and_serves_the_other(api: BotAPIStandIn) -> None:
    proc = start(api, free_port(), REJECTED, DEFAULT_TOKEN, mode="run")
    try:
        deadline = time.monotonic() + 20
        while not api.calls(DEFAULT_TOKEN, "getUpdates"):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/check")
        await p.press(label(RS, "sex", "male", "en"))
        assert RS.question_by_id["military_status"].text.en in p.text()
    finally:
        code, err = stop(proc)
    assert code == 0
    assert "token #1 was rejected" in err
    assert "CCCCCCCCCCCC" not in err


async def test_sigterm_finishes_the_updates_already_accepted(api: BotAPIStandIn) -> None:
    port = free_port()
    proc = start(api, port, DEFAULT_TOKEN)
    people = TelegramClient(api)
    users = [people.user(f"U{n}", language_code="en") for n in range(5)]
    chats = [people.private_chat(u) for u in users]
    try:
        wait_serving(port)
        for n, (user, chat) in enumerate(zip(users, chats, strict=True)):
            update = {"update_id": 5000 + n, "message": {
                "message_id": 1, "date": 0, "chat": {"id": chat.id, "type": "private"},
                "from": {"id": user.id, "is_bot": False, "first_name": "U"}, "text": "/check",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
            assert post(port, "/hook", update, SECRET) == 200
    finally:
        code, err = stop(proc)  # right after the posts were accepted
    assert code == 0, err
    for chat in chats:
        msg = api.last_bot_message(chat.id)
        assert msg is not None and RS.question_by_id["sex"].text.ru in (msg.text or "")
