"""A bounded backlog of updates.

python-telegram-bot takes each update off its queue as soon as it arrives and starts a task for
it at once; the task then waits for one of the update slots. A burst of N waiting updates thus
costs N tasks (about 5 KB each) however small the queue. This queue also counts updates taken but
not yet finished (PTB calls `task_done` when one is handled): `get` waits while `in_flight` are
out, so at most `maxsize + in_flight` updates are held. When full, `put` waits: polling pauses
(Telegram keeps the rest), and the webhook holds the request, then answers 429 (webhook.py).
"""

from __future__ import annotations

import asyncio

MAX_WAITING = 100  # one getUpdates batch
MAX_IN_FLIGHT = 32


class UpdateQueue(asyncio.Queue[object]):
    def __init__(self, maxsize: int = MAX_WAITING, in_flight: int = MAX_IN_FLIGHT) -> None:
        super().__init__(maxsize)
        self._in_flight = in_flight
        self._taken = 0
        self._slot_free = asyncio.Event()
        self._slot_free.set()

    async def get(self) -> object:
        while self._taken >= self._in_flight:
            self._slot_free.clear()
            await self._slot_free.wait()
        item = await super().get()  # (asyncio's get calls get_nowait: count here, not there)
        self._taken += 1
        return item

    def task_done(self) -> None:
        super().task_done()
        self._taken = max(0, self._taken - 1)
        self._slot_free.set()

    @property
    def in_flight(self) -> int:
        return self._taken
