"""Bytes the bot puts on the wire to send the offline page, per 1,000 requests.

The bot runs in this process against the Bot API stand-in; people (half ru, half en) send
/offline, in waves that the bot handles concurrently. Counted from the stand-in's records: the
sendDocument requests, how many carried an upload, the uploaded bytes and the request bodies'
bytes. Two modes: "upload every time" (the bot before file_ids: its id cache is given no room)
and "file_id" (the page goes up once per language, then is sent by its id).

Run: python -m bench.offline_upload_bench [--requests 1000] [--people 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from dataclasses import dataclass

from bot.runtime import Runtime
from tests.bot_harness import bot_env, running_bot
from tests.botapi import BotAPIStandIn, TelegramClient

WAVE = 50  # updates queued at once


@dataclass
class Result:
    mode: str
    requests: int
    sends: int
    uploads: int
    upload_bytes: int
    wire_bytes: int
    seconds: float

    def per_thousand(self, value: int) -> float:
        return value * 1000 / self.requests


async def wait_sent(api: BotAPIStandIn, count: int) -> None:
    """Until `count` sendDocument requests have been answered."""
    await api.wait_for(lambda: sum(c.done for c in api.calls(None, "sendDocument")) >= count,
                       timeout=120)


async def measure(mode: str, requests: int, people_count: int) -> Result:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    with BotAPIStandIn() as api:
        env = bot_env(api, BOT_RATE_LIMIT="100000")
        async with running_bot(api, env) as apps:
            rt: Runtime = apps[0].bot_data["runtime"]
            ids = getattr(rt.shared.offline, "file_ids", None)
            if mode == "upload every time" and ids is not None:
                ids.cap = 0  # nothing kept: every request uploads, as before file_ids
            client = TelegramClient(api)
            people = []
            for n in range(people_count):
                user = client.user(f"P{n}", language_code="en" if n % 2 else "ru")
                people.append((client.private_chat(user), user))
            start = time.perf_counter()
            for first in range(0, requests, WAVE):
                wave = range(first, min(first + WAVE, requests))
                for n in wave:
                    chat, user = people[n % people_count]
                    client.send_text(chat, user, "/offline")
                await wait_sent(api, wave.stop)
            seconds = time.perf_counter() - start
            calls = api.calls(None, "sendDocument")
            failed = [c for c in calls if not c.ok]
            if failed:
                raise SystemExit(f"{len(failed)} sendDocument calls failed: "
                                 f"{failed[0].description}")
            return Result(
                mode=mode, requests=requests, sends=len(calls),
                uploads=sum(len(c.uploads) for c in calls),
                upload_bytes=sum(len(u.content) for c in calls for u in c.uploads),
                wire_bytes=sum(c.body_size for c in calls), seconds=seconds)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--people", type=int, default=100)
    args = ap.parse_args()
    results = []
    for mode in ("upload every time", "file_id"):
        print(f"measuring {mode} …", file=sys.stderr, flush=True)
        results.append(asyncio.run(measure(mode, args.requests, args.people)))
    print(f"{args.requests} /offline requests from {args.people} people (half ru, half en)\n")
    print("| mode | uploads | uploaded per 1,000 requests | request bodies per 1,000 requests "
          "| wall time |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r.mode} | {r.uploads} | {r.per_thousand(r.upload_bytes) / 1e6:.2f} MB "
              f"| {r.per_thousand(r.wire_bytes) / 1e6:.3f} MB | {r.seconds:.1f} s |")
    before, after = results
    print(f"\nbytes on the wire per 1,000 requests: {before.per_thousand(before.wire_bytes):,.0f}"
          f" → {after.per_thousand(after.wire_bytes):,.0f} "
          f"({before.wire_bytes / max(after.wire_bytes, 1):.0f}× less)")


if __name__ == "__main__":
    main()
