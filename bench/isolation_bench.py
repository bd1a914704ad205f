"""Nobody can slow the bot for others: another person's /start latency while a group floods, while
one person floods, and while one chat is in Telegram's flood control (429); and what a burst of
waiting updates costs in memory.

The bot runs as its own process (`python -m bot run`, so its memory is its own) polling the Bot
API stand-in on 127.0.0.1 at Telegram's real rate (25 messages a second). Each scenario starts
the flood, then a fresh person sends /start; the figure is the time until the bot's answer is in
their chat. The issue's findings, before this work: 110 s, 10.6 s and 7.8 s.

Memory: 5,000 distinct people send /start at once (the rate limit raised so the run is CPU-bound);
RSS before, at its peak (VmHWM) and after.

Run: python -m bench.isolation_bench [--burst 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.botapi import BotAPIStandIn, BotInfo, ChatInfo, TelegramClient, UserInfo

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1"
BOT = BotInfo(id=111111, username="bench_bot", first_name="Bench")


def status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Bot:
    def __init__(self, api: BotAPIStandIn, rate: int) -> None:
        self.api = api
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN,
               "TELEGRAM_API_BASE_URL": api.base_url,
               "TELEGRAM_API_BASE_FILE_URL": api.base_file_url, "BOT_DEFAULT_LANGUAGE": "en",
               "BOT_RATE_LIMIT": str(rate), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
               "PTB_TIMEDELTA": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        calls = len(api.calls(TOKEN, "getUpdates"))
        deadline = time.monotonic() + 60
        while len(api.calls(TOKEN, "getUpdates")) <= calls:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the bot did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class World:
    def __init__(self, api: BotAPIStandIn) -> None:
        self.api = api
        self.people = TelegramClient(api, TOKEN)
        self.n = 0

    def person(self) -> tuple[UserInfo, ChatInfo]:
        self.n += 1
        user = self.people.user(f"P{self.n}", language_code="en")
        return user, self.people.private_chat(user)

    def start_latency(self) -> float:
        user, chat = self.person()
        t0 = time.monotonic()
        self.people.send_text(chat, user, "/start")
        self.api.wait_until(lambda: self.api.chat(chat.id, TOKEN).bot_messages, timeout=120,
                            message="the other person's answer")
        return time.monotonic() - t0

    def quiet(self, seconds: float = 1.0) -> None:
        """Until the bot has fetched everything and made no call for `seconds`."""
        while True:
            n = len(self.api.calls(TOKEN))
            time.sleep(seconds)
            if n == len(self.api.calls(TOKEN)) and not self.api.pending_updates(TOKEN):
                return


def group_flood(w: World) -> None:
    member = w.people.user("Member", language_code="en")
    group = w.people.supergroup(creator=member, bot_status="member")
    for _ in range(60):
        w.people.send_text(group, member, f"/help@{BOT.username}")


def many_groups(w: World) -> None:
    # 20 groups, each sent every group command by five members: past the cooldown, the group
    # budgets and half the overall budget, the rest is dropped.
    for g in range(20):
        members = [w.people.user(f"G{g}M{i}", language_code="en") for i in range(5)]
        group = w.people.supergroup(creator=members[0], members=members[1:], bot_status="member")
        for member in members:
            for command in ("check", "help", "sources", "grounds", "language"):
                w.people.send_text(group, member, f"/{command}@{BOT.username}")


def user_flood(w: World) -> None:
    user, chat = w.person()
    for _ in range(300):
        w.people.send_text(chat, user, "/check")


def one_chat_429(w: World) -> None:
    user, chat = w.person()
    w.api.inject_429(TOKEN, chat_id=chat.id, retry_after=8, seconds=8)
    before = len(w.api.calls(TOKEN))
    w.people.send_text(chat, user, "/check")
    w.api.wait_until(lambda: any(c.error_code == 429 for c in w.api.calls(TOKEN)[before:]),
                     timeout=30)
    for _ in range(5):
        w.people.send_text(chat, user, "/check")


SCENARIOS: dict[str, Callable[[World], None]] = {
    "nobody floods": lambda w: None,
    "a group floods (60 × /help@bot)": group_flood,
    "20 groups × 5 members × every command (500 commands)": many_groups,
    "one person floods (300 × /check)": user_flood,
    "one chat in flood control (429, retry after 8 s)": one_chat_429,
}


def latencies(api: BotAPIStandIn, repeat: int) -> dict[str, list[float]]:
    bot = Bot(api, rate=25)
    world = World(api)
    out: dict[str, list[float]] = {}
    try:
        world.start_latency()  # warm up
        for name, flood in SCENARIOS.items():
            print(f"{name} …", file=sys.stderr, flush=True)
            out[name] = []
            for _ in range(repeat):
                flood(world)
                out[name].append(world.start_latency())
                world.quiet()
    finally:
        bot.stop()
    return out


def burst_memory(api: BotAPIStandIn, burst: int) -> tuple[float, float, float, float]:
    bot = Bot(api, rate=2000)
    world = World(api)
    try:
        warm = [world.person() for _ in range(300)]
        for user, chat in warm:
            world.people.send_text(chat, user, "/start")
        world.quiet()
        pid = bot.proc.pid
        before, peak_before = status_mb(pid, "VmRSS"), status_mb(pid, "VmHWM")
        people = [world.person() for _ in range(burst)]
        t0 = time.monotonic()
        for user, chat in people:
            world.people.send_text(chat, user, "/start")
        api.wait_until(lambda: all(api.chat(c.id, TOKEN).bot_messages for _, c in people[-50:]),
                       timeout=900)
        seconds = time.monotonic() - t0
        world.quiet()
        after, peak = status_mb(pid, "VmRSS"), status_mb(pid, "VmHWM")
        return before, max(peak, peak_before) - before, after - before, seconds
    finally:
        bot.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--burst", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--burst-only", action="store_true", help="skip the latency scenarios")
    args = ap.parse_args()
    with BotAPIStandIn(tokens={TOKEN: BOT}) as api:
        lat = latencies(api, args.repeat) if not args.burst_only else {}
        print(f"another person's /start, answered after (seconds; {args.repeat} runs, "
              "median and worst):")
        print("| while | median | worst |")
        print("|---|---|---|")
        for name, values in lat.items():
            print(f"| {name} | {statistics.median(values):.3f} s | {max(values):.3f} s |")
        print(f"\nburst of {args.burst} waiting updates …", file=sys.stderr, flush=True)
        before, peak, after, seconds = burst_memory(api, args.burst)
        print(f"\nburst of {args.burst} /start from distinct people: RSS {before:.1f} MB before, "
              f"peak {peak:+.1f} MB, after {after:+.1f} MB; handled in {seconds:.0f} s")


if __name__ == "__main__":
    main()
