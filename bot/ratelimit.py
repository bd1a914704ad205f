"""Rate limits that keep one chat from holding the bot's capacity.

python-telegram-bot's AIORateLimiter pauses every request on any 429 and makes group replies wait
for the group's 20-a-minute budget while they hold an update slot. Telegram's flood control is per
chat, so here:

- a 429 delays only the chat it names: later requests to that chat fail at once until its
  retry_after has passed, and at most one request per chat (and a few in all) waits it out;
- private chats share Telegram's overall ~30 messages a second, in arrival order;
- group messages never wait: beyond the group's 20 a minute, or when the overall budget is spent,
  they are dropped (`Dropped`), since a group flood must not delay a person in private.

Per-chat memory is kept under a salted hash of the chat id (`ChatMemory`), the salt rotating, so
no id (and no lasting pseudonym) is held.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

V = TypeVar("V")
Clock = Callable[[], float]
Result = bool | dict[str, Any] | list[dict[str, Any]]

OVERALL_PER_SECOND = 30  # Telegram: about 30 messages a second over all chats
GROUP_PER_MINUTE = 20  # Telegram: 20 messages a minute in one group
# Methods that put something in a chat: what the group budget counts (getChatMember and
# deleteMessages do not post).
_POSTING = ("send", "edit", "copy", "forward")


class Dropped(TelegramError):
    """A request not sent because its chat is over its budget (a group's flood, usually). A
    TelegramError, so code that tolerates a failed call tolerates this one."""

    def __init__(self) -> None:
        super().__init__("dropped: the chat is over its rate limit")


class ChatMemory(Generic[V]):
    """Values per chat, keyed by a keyed BLAKE2b hash of the chat id. The key (salt) is random and
    replaced every `period` seconds; a value survives one rotation (it is looked up under the
    previous salt and moved), then is forgotten unless used. `max_entries` bounds the memory: when
    the current generation is full, it rotates early."""

    def __init__(self, period: float, *, max_entries: int = 100_000,
                 clock: Clock = time.monotonic) -> None:
        self._period = period
        self._max = max_entries
        self._clock = clock
        self._salt = secrets.token_bytes(16)
        self._old_salt = self._salt
        self._current: dict[bytes, V] = {}
        self._old: dict[bytes, V] = {}
        self._rotate_at = clock() + period

    def _key(self, chat_id: int | str, salt: bytes) -> bytes:
        return hashlib.blake2b(str(chat_id).encode(), key=salt, digest_size=16).digest()

    def _rotate(self) -> None:
        self._old, self._old_salt = self._current, self._salt
        self._current, self._salt = {}, secrets.token_bytes(16)
        self._rotate_at = self._clock() + self._period

    def get(self, chat_id: int | str) -> V | None:
        if self._clock() >= self._rotate_at:
            self._rotate()
        key = self._key(chat_id, self._salt)
        value = self._current.get(key)
        if value is None and self._old:
            value = self._old.pop(self._key(chat_id, self._old_salt), None)
            if value is not None:
                self._put(key, value)
        return value

    def set(self, chat_id: int | str, value: V) -> None:
        if self._clock() >= self._rotate_at:
            self._rotate()
        self._put(self._key(chat_id, self._salt), value)

    def _put(self, key: bytes, value: V) -> None:
        if key not in self._current and len(self._current) >= self._max:
            self._rotate()
        self._current[key] = value

    def discard(self, chat_id: int | str) -> None:
        self._current.pop(self._key(chat_id, self._salt), None)
        self._old.pop(self._key(chat_id, self._old_salt), None)

    def __len__(self) -> int:
        return len(self._current) + len(self._old)


class TokenBuckets:
    """A token bucket per chat: `capacity` at once, refilled at `per_second`. A chat unseen for a
    while has a full bucket, which is the same as no entry, so the memory forgets it."""

    def __init__(self, capacity: float, per_second: float, *, clock: Clock = time.monotonic,
                 max_entries: int = 100_000) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self._clock = clock
        # Two rotations outlast a refill from empty: forgetting a bucket never grants extra.
        self._memory: ChatMemory[tuple[float, float]] = ChatMemory(
            max(capacity / per_second, 1.0), max_entries=max_entries, clock=clock)

    def take(self, chat_id: int | str, amount: float = 1.0) -> bool:
        """Take `amount` tokens if the chat has them."""
        now = self._clock()
        entry = self._memory.get(chat_id)
        tokens = self.capacity
        if entry is not None:
            tokens = min(self.capacity, entry[0] + (now - entry[1]) * self.per_second)
        if tokens < amount:
            self._memory.set(chat_id, (tokens, now))
            return False
        self._memory.set(chat_id, (tokens - amount, now))
        return True

    def __len__(self) -> int:
        return len(self._memory)


def _seconds(exc: RetryAfter) -> float:
    after: Any = exc.retry_after
    return after.total_seconds() if isinstance(after, dt.timedelta) else float(after)


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)  # an @username: a group or channel


class ChatRateLimiter(BaseRateLimiter[int]):
    """See the module docstring. `max_retries` retries per request after a 429, each only when
    the wait is at most `max_wait` seconds, no other request to that chat is waiting, and fewer
    than `max_waiting` requests wait in all (each holds an update slot)."""

    def __init__(self, overall_max_rate: float = OVERALL_PER_SECOND,
                 group_max_rate: float = GROUP_PER_MINUTE, group_time_period: float = 60.0, *,
                 max_retries: int = 3, max_wait: float = 30.0, max_waiting: int = 2,
                 clock: Clock = time.monotonic) -> None:
        self._overall = AsyncLimiter(overall_max_rate, 1) if overall_max_rate > 0 else None
        self._groups = (TokenBuckets(group_max_rate, group_max_rate / group_time_period,
                                     clock=clock)
                        if group_max_rate > 0 and group_time_period > 0 else None)
        self._max_retries = max_retries
        self._max_wait = max_wait
        self._max_waiting = max_waiting
        self._clock = clock
        # chat -> the clock time until which Telegram told us to wait
        self._blocked: ChatMemory[float] = ChatMemory(max(max_wait, 60.0), clock=clock)
        self._waiting: ChatMemory[bool] = ChatMemory(max(max_wait, 60.0) * 2, clock=clock)
        self._waiters = 0
        self.dropped = 0  # anonymous count, for the logs and tests

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat = _chat_of(data)
        is_group = isinstance(chat, str) or (isinstance(chat, int) and chat < 0)
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        attempt = 0
        while True:
            if chat is not None:
                self._check_blocked(chat)
                if is_group:
                    await self._admit_group(chat, endpoint)
                elif self._overall is not None:
                    await self._overall.acquire()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc)
                if chat is not None:
                    self._blocked.set(chat, self._clock() + wait)
                if attempt >= retries or not await self._wait_out(chat, wait):
                    raise
                attempt += 1

    def _check_blocked(self, chat: int | str) -> None:
        until = self._blocked.get(chat)
        if until is None:
            return
        left = until - self._clock()
        if left <= 0:
            self._blocked.discard(chat)
            return
        # Another request of this chat waits it out, or it is too long: fail now, holding nothing.
        raise RetryAfter(dt.timedelta(seconds=max(1, round(left))))

    async def _admit_group(self, chat: int | str, endpoint: str) -> None:
        # Groups get the overall budget only while it is at most half spent, so people in private
        # keep the other half under any group flood.
        overall = self._overall
        if overall is not None and not overall.has_capacity(overall.max_rate / 2):
            self.dropped += 1
            raise Dropped
        posting = endpoint.lower().startswith(_POSTING)
        if posting and self._groups is not None and not self._groups.take(chat):
            self.dropped += 1
            raise Dropped
        if overall is not None:
            await overall.acquire()  # has capacity: returns at once

    async def _wait_out(self, chat: int | str | None, wait: float) -> bool:
        """Wait `wait` seconds for this chat if allowed; whether we waited."""
        key = chat if chat is not None else ""
        if wait > self._max_wait or self._waiters >= self._max_waiting or self._waiting.get(key):
            return False
        self._waiting.set(key, True)
        self._waiters += 1
        try:
            log.info("flood control for one chat: waiting %.1f s", wait)
            await asyncio.sleep(wait + 0.1)
        finally:
            self._waiters -= 1
            self._waiting.discard(key)
        if chat is not None:
            self._blocked.discard(chat)
        return True
