"""What the running bot holds: the rule base (swapped whole on reload), the state codec, group
language choices and anonymous counters.

Nothing about a person lives here. Handlers read the rule base once at entry (`Runtime.env()`), so
an update finishes on the rule base it started with while a reload swaps in the next.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from interview.flow import Env
from interview.state_codec import StateCodec
from rules import RuleSet

from .file_ids import FileIds
from .group_languages import GroupLanguages
from .offline_pages import OfflinePages

# Documents other than the page vary (one per set of choices): keep the ids of the most used few.
DOCUMENT_IDS_CAP = 64


@dataclass
class RulesHolder:
    """The rule base in force, shared by every bot account of the process."""

    current: RuleSet
    path: Path | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one reload at a time


@dataclass
class Stats:
    """Anonymous counts since start: never who, only how many."""

    started: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)


@dataclass
class Shared:
    """What all bot accounts of one process share."""

    holder: RulesHolder
    groups: GroupLanguages
    stats: list[Stats] = field(default_factory=list)
    offline: OfflinePages = field(default_factory=OfflinePages)  # the offline page, per rule base
    # file_ids of other generated documents sent again and again (file_ids.send_document).
    documents: FileIds = field(default_factory=lambda: FileIds(DOCUMENT_IDS_CAP))


@dataclass
class Runtime:
    shared: Shared
    index: int  # this bot account's position among the configured tokens
    codec: StateCodec
    default_language: str
    version: str
    handles: Sequence[str] = ()
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    # Admins whose command menu could not be set yet (they had never opened the bot).
    admin_menus_pending: set[int] = field(default_factory=set)

    @property
    def rules(self) -> RuleSet:
        return self.shared.holder.current

    @property
    def stats(self) -> Stats:
        return self.shared.stats[self.index]

    def env(self) -> Env:
        """The flow's view of the bot, with the rule base read once."""
        return Env(self.shared.holder.current, self.version, self.handles)
