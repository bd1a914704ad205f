"""Benchmark the bot against echo bots on the same Bot API stand-in, in one run.

Each bot runs as its own process (so its CPU time and memory are its own) and polls the stand-in on
127.0.0.1, which plays the people. A "person" starts (exempt-bot: /check, echo: /start) and presses
the first button of the reply: two updates.

Reports, per bot: CPU time per update (process user + system) under a surge, latency p50/p99 at
light load, replies a second under the surge (Telegram's ~30/s overall limit is the rate limiter's,
so wall time is the limiter's), and RSS growth over many distinct people.

Run: python -m bench.bot_bench [--surge 300] [--memory-people 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.botapi import BotAPIStandIn, BotInfo, TelegramClient

ROOT = Path(__file__).resolve().parent.parent
TOKENS = {
    "exempt-bot": "111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1",
    "echo, exempt-bot's options": "222222:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2",
    "echo, cheapest": "333333:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3",
}
COMMANDS = {"exempt-bot": [sys.executable, "-m", "bot", "run"],
            "echo, exempt-bot's options": [sys.executable, "-m", "bench.echo_bot", "same"],
            "echo, cheapest": [sys.executable, "-m", "bench.echo_bot", "cheap"]}
START = {"exempt-bot": "/check"}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Result:
    cpu_ms_per_update: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    replies_per_s: float = 0.0
    rss_growth_mb: float = 0.0
    rss_start_mb: float = 0.0
    errors: int = 0


class Run:
    def __init__(self, api: BotAPIStandIn, name: str, rate: int) -> None:
        self.api, self.name = api, name
        self.token = TOKENS[name]
        self.people = TelegramClient(api, self.token)
        self.base = 0
        self.base = self.replies()  # the same account may have run before
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": self.token,
               "TELEGRAM_API_BASE_URL": api.base_url,
               "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
               "BOT_RATE_LIMIT": str(rate), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
               "PTB_TIMEDELTA": "1"}
        self.proc = subprocess.Popen(COMMANDS[name], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not api.calls(self.token, "getUpdates"):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"{name} did not start")
            time.sleep(0.05)
        self.n = 0

    def replies(self) -> int:
        return sum(1 for c in self.api.calls(self.token)
                   if c.method in ("sendMessage", "editMessageText") and c.ok) - self.base

    def person(self) -> tuple[object, object]:
        self.n += 1
        user = self.people.user(f"P{self.n}", language_code="en")
        return user, self.people.private_chat(user)

    def start(self, user: object, chat: object) -> None:
        self.people.send_text(chat, user, START.get(self.name, "/start"))  # type: ignore[arg-type]

    def press(self, user: object, chat: object) -> None:
        msg = self.api.last_bot_message(chat, self.token)  # type: ignore[arg-type]
        assert msg is not None
        data = msg.inline_keyboard[0][0]["callback_data"]
        self.people.press(chat, user, msg, data)  # type: ignore[arg-type]

    def wait_replies(self, count: int, timeout: float = 600) -> None:
        # Poll: counting scans every recorded call, so waking on each one would be quadratic.
        deadline = time.monotonic() + timeout
        while self.replies() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: {self.replies()} of {count} replies")
            time.sleep(0.003)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def light_and_surge(api: BotAPIStandIn, name: str, surge: int, res: Result) -> float:
    """Latency one person at a time (kept in `res`), then a surge; the surge's CPU ms per update."""
    run = Run(api, name, rate=25)
    try:
        lat: list[float] = []
        for _ in range(40):
            user, chat = run.person()
            for action in (run.start, run.press):
                before = run.replies()
                t = time.perf_counter()
                action(user, chat)
                run.wait_replies(before + 1)
                lat.append(time.perf_counter() - t)
        lat.sort()
        if not res.p50_ms:  # the first round's: later ones wait on the harness's growing log
            res.p50_ms = statistics.median(lat) * 1000
            res.p99_ms = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
        # A surge: everyone at once, at Telegram's real rate.
        people = [run.person() for _ in range(surge)]
        before, cpu0, t0 = run.replies(), cpu_seconds(run.proc.pid), time.perf_counter()
        for user, chat in people:
            run.start(user, chat)
        run.wait_replies(before + surge)
        for user, chat in people:
            run.press(user, chat)
        run.wait_replies(before + 2 * surge)
        res.replies_per_s = 2 * surge / (time.perf_counter() - t0)
        return (cpu_seconds(run.proc.pid) - cpu0) * 1000 / (2 * surge)
    finally:
        run.stop()


def memory(api: BotAPIStandIn, name: str, memory_people: int, res: Result) -> None:
    """RSS growth over many distinct people, the rate limit raised so the run is CPU-bound."""
    run = Run(api, name, rate=2000)
    try:
        warm = [run.person() for _ in range(200)]
        for user, chat in warm:
            run.start(user, chat)
        run.wait_replies(200)
        res.rss_start_mb = rss_mb(run.proc.pid)
        done = run.replies()
        batch = 500
        for i in range(0, memory_people, batch):
            group = [run.person() for _ in range(min(batch, memory_people - i))]
            for user, chat in group:
                run.start(user, chat)
            done += len(group)
            run.wait_replies(done)
            for user, chat in group:
                run.press(user, chat)
            done += len(group)
            run.wait_replies(done)
        res.rss_growth_mb = rss_mb(run.proc.pid) - res.rss_start_mb
        res.errors = sum(1 for c in api.calls(run.token) if c.error_code)
    finally:
        run.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--surge", type=int, default=300)
    ap.add_argument("--memory-people", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    bots = {t: BotInfo(id=int(t.split(":")[0]), username=f"bench{i}_bot", first_name="Bench")
            for i, t in enumerate(TOKENS.values())}
    results = {name: Result() for name in TOKENS}
    cpu: dict[str, list[float]] = {name: [] for name in TOKENS}
    with BotAPIStandIn(tokens=bots) as api:
        # The bots take turns, round after round, and each keeps its median: this VM's speed
        # drifts by a fifth within minutes, so one run of each compares different machines.
        for rnd in range(args.rounds):
            for name in TOKENS:
                print(f"round {rnd + 1}: {name} …", file=sys.stderr, flush=True)
                cpu[name].append(light_and_surge(api, name, args.surge, results[name]))
        for name in TOKENS:
            results[name].cpu_ms_per_update = statistics.median(cpu[name])
            print(f"memory: {name} …", file=sys.stderr, flush=True)
            memory(api, name, args.memory_people, results[name])
    cheap = results["echo, cheapest"].cpu_ms_per_update
    same = results["echo, exempt-bot's options"]
    print(f"{args.surge} people in the surge (2 updates each), median of {args.rounds} alternating "
          f"rounds; {args.memory_people} distinct people for memory")
    print("| bot | CPU per update | × cheapest echo | latency p50 / p99 | replies/s in the surge "
          "| RSS growth | API errors |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r.cpu_ms_per_update:.2f} ms | {r.cpu_ms_per_update / cheap:.2f} "
              f"| {r.p50_ms:.1f} / {r.p99_ms:.1f} ms | {r.replies_per_s:.1f} "
              f"| {r.rss_growth_mb:+.1f} MB (from {r.rss_start_mb:.0f}) | {r.errors} |")
    bot = results["exempt-bot"]
    for name in TOKENS:
        print(f"{name}: CPU per update by round " + ", ".join(f"{x:.2f}" for x in cpu[name])
              + " ms", file=sys.stderr)
    print(f"\nCPU ratio to the cheapest echo: {bot.cpu_ms_per_update / cheap:.2f} (target ≤ 1.25); "
          f"memory growth vs the echo with the same options: "
          f"{bot.rss_growth_mb - same.rss_growth_mb:+.1f} MB (target ≤ +2 MB)")


if __name__ == "__main__":
    main()
