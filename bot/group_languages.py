"""The language each group chose: in memory (reset on restart), or, when STATE_DIR is set, in one
file holding only chat id -> language (no names, no members, nothing else)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "group_languages.json"


class GroupLanguages:
    def __init__(self, state_dir: Path | None = None) -> None:
        self._path = state_dir / FILE_NAME if state_dir else None
        self._langs: dict[int, str] = {}
        if self._path is not None and self._path.exists():
            try:
                raw = json.loads(self._path.read_text("utf-8"))
                self._langs = {int(k): v for k, v in raw.items() if v in ("ru", "en")}
            except (OSError, ValueError) as exc:
                log.warning("could not read %s (%s); starting empty", FILE_NAME, type(exc).__name__)

    def get(self, chat_id: int) -> str | None:
        return self._langs.get(chat_id)

    def set(self, chat_id: int, lang: str) -> None:
        self._langs[chat_id] = lang
        self._save()

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its choice moves to the new id."""
        lang = self._langs.pop(old_chat_id, None)
        if lang is not None:
            self._langs[new_chat_id] = lang
            self._save()

    def _save(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: a crash never leaves half a file.
        fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".group_languages.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({str(k): v for k, v in self._langs.items()}, f)
        Path(tmp).replace(self._path)  # os.replace: atomic on one filesystem
