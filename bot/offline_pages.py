"""The offline page per opening language for the rule base in force: built at start and after
each reload, so a person asking between a reload and the rebuild gets the page of the rules in
force (`for_rules` checks the version)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from offline.build import Page, build_page
from rules import RuleSet
from rules.models import LANGS


@dataclass
class OfflinePages:
    """The page per opening language for one rule base version."""

    handles: Sequence[str] = ()
    pages: dict[str, Page] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def build(self, rs: RuleSet) -> list[Page]:
        """Build both languages for `rs` (off the event loop: about 0.1 s)."""
        built: dict[str, Page] = {lang: build_page(rs, lang, self.handles) for lang in LANGS}
        with self._lock:
            self.pages = built
        return [built[lang] for lang in LANGS]

    def for_rules(self, rs: RuleSet, lang: str) -> Page:
        with self._lock:
            page = self.pages.get(lang)
        if page is None or page.rules_version != rs.version:
            self.build(rs)
            with self._lock:
                page = self.pages[lang]
        return page
