"""The process while it starts (issue 9, item 5): a SIGHUP never ends it, a SIGINT ends it
quietly; a group-language press without a message is refused politely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot_harness import Person, bot_env, settle
from tests.botapi import BotAPIStandIn, TelegramClient
from tests.botapi.server import CallbackQueryRecord

ROOT = Path(__file__).resolve().parent.parent


def start_bot(api: BotAPIStandIn) -> subprocess.Popen[str]:
    env = {**os.environ, **bot_env(api), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_it_catches_sighup(proc: subprocess.Popen[str], timeout: float = 20) -> None:
    status = Path(f"/proc/{proc.pid}/status")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None
        fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                      if ":\t" in line)
        if int(fields.get("SigCgt", "0"), 16) & (1 << (signal.SIGHUP - 1)):
            return
        time.sleep(0.005)
    raise AssertionError("the process never caught SIGHUP")


def polling(api: BotAPIStandIn) -> bool:
    return bool(api.calls(method="getUpdates"))


@pytest.mark.serial  # a SIGHUP every 50 ms until it polls: a busy machine sends more
async def test_sighups_while_starting_do_not_end_the_process(api: BotAPIStandIn) -> None:
    proc = start_bot(api)
    try:
        # The interpreter itself must start before any handler can exist: wait until the
        # process catches SIGHUP (its first line of `main`), not a fixed 0.3 s that a
        # loaded machine may not give it.
        wait_until_it_catches_sighup(proc)
        hups = 0
        deadline = time.monotonic() + 30
        # A SIGHUP every 50 ms through the whole start: imports, rule base, first getUpdates.
        while not polling(api):
            assert proc.poll() is None, f"ended by SIGHUP number {hups}: {proc.returncode}"
            assert time.monotonic() < deadline
            proc.send_signal(signal.SIGHUP)
            hups += 1
            time.sleep(0.05)
        assert hups >= 3
        p = Person(api, TelegramClient(api), language_code="en")
        await p.say("/about")
        assert "rules version" in p.text()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    # The SIGHUPs of the start asked for one reload, done once the bot serves.
    # HUPs before the loop took over coalesce into one reload; one that lands just after the
    # handler is installed asks for its own.
    assert 1 <= err.count("SIGHUP: rules reloaded") <= 2, err
    assert "Traceback" not in err


@pytest.mark.serial  # the delays are points in a start that a busy machine stretches
@pytest.mark.parametrize("delay", [0.3, 0.7])
def test_sigint_while_starting_ends_it_without_a_traceback(api: BotAPIStandIn,
                                                          delay: float) -> None:
    proc = start_bot(api)
    try:
        # From its first line of `main` (before it, the interpreter's own start may take longer
        # than a loaded machine's 0.3 s, and no program can answer a signal then).
        wait_until_it_catches_sighup(proc)
        time.sleep(delay)
        started = polling(api)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:  # it did not end: leave no bot behind the failure
            proc.kill()
            proc.communicate()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    # Before serving: 130, as a shell reports SIGINT; once serving, SIGINT stops it normally.
    assert proc.returncode == (0 if started else 130), err


def run_main_with(start: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot`'s `main` with `start` in place of the real start (`_main`)."""
    code = ("import os, signal, sys, time\nfrom bot import __main__ as m\n" + start
            + "\nm._main = start\nsys.exit(m.main([]))\n")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


# Where a SIGINT can land, as a start in place of the real one, and what would show it leaked.
LANDINGS = {
    # A library that turns the KeyboardInterrupt into an error of its own.
    "wrapped by a library": ("def start(argv):\n"
                             "    try:\n"
                             "        os.kill(os.getpid(), signal.SIGINT)\n"
                             "        time.sleep(5)\n"
                             "    except KeyboardInterrupt as e:\n"
                             "        raise RuntimeError('a library wrapped it') from e\n"
                             "    return 0\n", "wrapped"),
    # A finalizer: Python can only print an exception raised in `__del__` and go on.
    "in a finalizer": ("class Held:\n"
                       "    def __del__(self):\n"
                       "        raise KeyboardInterrupt\n"
                       "def start(argv):\n"
                       "    Held()\n"
                       "    for _ in range(500):\n"
                       "        time.sleep(0.01)\n"
                       "    return 0\n", "ignored"),
}


@pytest.mark.parametrize("landing", LANDINGS)
def test_a_sigint_wherever_it_lands_still_ends_the_start_quietly(landing: str) -> None:
    start, leaked = LANDINGS[landing]
    done = run_main_with(start)
    assert "Traceback" not in done.stderr and leaked not in done.stderr, done.stderr
    assert done.returncode == 130, done.stderr


async def test_a_group_language_press_without_a_message_is_refused(
        api: BotAPIStandIn, bot: list[object]) -> None:
    # A press on an inline-mode message carries no message and no chat.
    people = TelegramClient(api)
    user = people.user("Inline", language_code="en")
    api_bot = api._bot(None)
    query_id = "4000000000000000001"
    api_bot.callback_queries[query_id] = CallbackQueryRecord(
        id=query_id, chat_id=0, message_id=0, user_id=user.id, data="gl:en", created=api.now())
    api.push_update({"callback_query": {
        "id": query_id, "from": user.to_json(), "inline_message_id": "AAAAAQ",
        "chat_instance": "1", "data": "gl:en"}})
    await api.wait_for(lambda: api_bot.callback_queries[query_id].answered, timeout=15)
    answer = api_bot.callback_queries[query_id].answer
    # The admission gate answers every press without a chat: no button of ours works there.
    assert answer is not None
    assert answer.text == "These buttons work only in a private chat with the bot."
    await settle(api)
    p = Person(api, people, language_code="en")
    await p.say("/start")
    assert p.text()
