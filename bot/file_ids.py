"""Documents the bot sends again and again go up to Telegram once and are then sent by the file_id
Telegram returned for the upload: the offline page (about 235 KB) once per rules version and
language, any other generated document once per content (`Document.of`: a hash of its bytes).

A file_id is valid only for the bot account that uploaded it, so the ids are kept per account (its
numeric id, never its token). Keys name content, never a chat or a person, and nothing is logged
about who asked. Kept in memory only (a restart uploads each document once more) and bounded:
the least recently sent document goes first. A hash of a document's bytes is kept as long as its
id: meant for documents many people get alike (a template filled in with shared choices), not for
one holding what a single person wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InputFile, Message
from telegram.error import BadRequest

log = logging.getLogger(__name__)

# What Telegram says of a file_id it will not take: another account's, a malformed one, or a file
# it no longer has ("wrong file identifier/HTTP URL specified", "wrong remote file identifier
# specified: ...", "invalid file_id", "FILE_REFERENCE_EXPIRED").
_REFUSED = ("file identifier", "file_id", "file reference", "file_reference")


def refused(exc: BadRequest) -> bool:
    """Whether Telegram refused the file_id itself (then an upload will do)."""
    text = exc.message.lower()
    return any(marker in text for marker in _REFUSED)


def content_key(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Document:
    """A file to send: its bytes, the name the person sees, and the key its file_id is kept
    under (the same key must always mean the same bytes)."""

    key: str
    content: bytes
    filename: str

    @classmethod
    def of(cls, content: bytes, filename: str) -> Document:
        """Keyed by a hash of the bytes: identical documents share one upload."""
        return cls(content_key(content), content, filename)


class FileIds:
    """file_ids per (bot account, document key), least recently used dropped beyond `cap`.

    `keep` says which keys may be kept at all (the offline page keeps only the pages of the rule
    base in force); `prune` drops the rest. Safe to use from threads (the page is built in one);
    the upload locks belong to the event loop."""

    def __init__(self, cap: int = 32, keep: Callable[[str], bool] | None = None) -> None:
        self.cap = cap
        self.keep = keep or (lambda key: True)
        self._ids: OrderedDict[tuple[int, str], str] = OrderedDict()
        self._lock = threading.Lock()
        self._uploads: dict[tuple[int, str], tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)

    def slots(self) -> list[tuple[int, str]]:
        """(bot account id, document key) of every id kept, least recently used first."""
        with self._lock:
            return list(self._ids)

    def get(self, bot_id: int, key: str) -> str | None:
        with self._lock:
            file_id = self._ids.get((bot_id, key))
            if file_id is not None:
                self._ids.move_to_end((bot_id, key))
            return file_id

    def put(self, bot_id: int, key: str, file_id: str) -> None:
        if not self.keep(key):
            return  # e.g. a page of a rule base replaced while it was going up
        with self._lock:
            self._ids[(bot_id, key)] = file_id
            self._ids.move_to_end((bot_id, key))
            while len(self._ids) > self.cap:
                self._ids.popitem(last=False)

    def discard(self, bot_id: int, key: str, file_id: str) -> None:
        """Forget a refused id (unless another press has already replaced it)."""
        with self._lock:
            if self._ids.get((bot_id, key)) == file_id:
                del self._ids[(bot_id, key)]

    def prune(self) -> None:
        """Drop the ids whose keys `keep` no longer accepts."""
        with self._lock:
            for slot in [slot for slot in self._ids if not self.keep(slot[1])]:
                del self._ids[slot]

    @contextlib.asynccontextmanager
    async def uploading(self, bot_id: int, key: str) -> AsyncIterator[None]:
        """One upload per account and key at a time: presses arriving meanwhile wait for it and
        then send its file_id. The lock lives only while someone holds or awaits it."""
        slot = (bot_id, key)
        lock, users = self._uploads.get(slot, (asyncio.Lock(), 0))
        self._uploads[slot] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._uploads[slot]
            if users <= 1:
                del self._uploads[slot]
            else:
                self._uploads[slot] = (lock, users - 1)


async def send_document(bot: Bot, ids: FileIds, chat_id: int, doc: Document,
                        **kwargs: Any) -> Message:
    """Send `doc` by its file_id for this bot account if there is one, else upload it once and
    keep the id. A refused id is dropped and the document uploaded again. `kwargs` go to
    sendDocument (caption, parse_mode, ...)."""
    bot_id = bot.id
    file_id = ids.get(bot_id, doc.key)
    if file_id is not None:
        sent = await _by_id(bot, ids, chat_id, doc, file_id, kwargs)
        if sent is not None:
            return sent
    async with ids.uploading(bot_id, doc.key):
        # Another press may have uploaded it while this one waited.
        waited_for = ids.get(bot_id, doc.key)
        if waited_for is not None and waited_for != file_id:
            sent = await _by_id(bot, ids, chat_id, doc, waited_for, kwargs)
            if sent is not None:
                return sent
        message = await bot.send_document(
            chat_id, InputFile(doc.content, filename=doc.filename, attach=True),
            disable_content_type_detection=True, **kwargs)
        if message.document is not None:
            ids.put(bot_id, doc.key, message.document.file_id)
        return message


async def _by_id(bot: Bot, ids: FileIds, chat_id: int, doc: Document, file_id: str,
                 kwargs: dict[str, Any]) -> Message | None:
    try:
        return await bot.send_document(chat_id, file_id, **kwargs)
    except BadRequest as exc:
        if not refused(exc):
            raise
        log.info("Telegram refused a kept file_id (%s); uploading the document again",
                 exc.message)
        ids.discard(bot.id, doc.key, file_id)
        return None
