"""The offline page per opening language for the rule base in force: built at start and after
each reload, so a person asking between a reload and the rebuild gets the page of the rules in
force (`for_rules` checks the version). With it, the file_ids Telegram gave the page's uploads
(per bot account): kept only for the rule base in force."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from offline.build import DEFAULT_NAME, Page, build_page
from rules import RuleSet
from rules.models import LANGS

from .file_ids import Document, FileIds

# Two languages per bot account; room for a dozen accounts.
PAGE_IDS_CAP = 32


def page_key(page: Page) -> str:
    """The page's file_id key: one upload per rules version and language (and account)."""
    return f"offline-page/{page.rules_version}/{page.lang}"


@dataclass
class OfflinePages:
    """The page per opening language for one rule base version."""

    handles: Sequence[str] = ()
    pages: dict[str, Page] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    file_ids: FileIds = field(init=False)

    def __post_init__(self) -> None:
        self.file_ids = FileIds(PAGE_IDS_CAP, keep=self._current)

    def _current(self, key: str) -> bool:
        with self._lock:
            return any(page_key(page) == key for page in self.pages.values())

    def build(self, rs: RuleSet) -> list[Page]:
        """Build both languages for `rs` (off the event loop: about 0.1 s)."""
        built: dict[str, Page] = {lang: build_page(rs, lang, self.handles) for lang in LANGS}
        with self._lock:
            self.pages = built
        self.file_ids.prune()  # a new rules version: the old pages' ids go
        return [built[lang] for lang in LANGS]

    def for_rules(self, rs: RuleSet, lang: str) -> Page:
        with self._lock:
            page = self.pages.get(lang)
        if page is None or page.rules_version != rs.version:
            self.build(rs)
            with self._lock:
                page = self.pages[lang]
        return page


def page_document(page: Page) -> Document:
    return Document(page_key(page), page.html, DEFAULT_NAME)
