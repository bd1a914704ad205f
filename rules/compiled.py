"""A ground and a text (caveat, note, step) compiled for evaluation: what the engine and the
per-day code generator (daycode.py) both read, kept apart so neither imports the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from .conditions import Compiled
from .models import All, Condition, Confidence, FactAtLeast, FactIn, FactIs, Ground
from .verdict import CitationOut, GroundOut, TextOut


@dataclass
class CompiledGround:
    ground: Ground
    cond: Compiled
    advice: Compiled | None
    strength: int
    order: int
    confidence: Confidence
    citations: dict[str, tuple[CitationOut, ...]]

    # Sort keys: strongest first, applying before possible, then rule-base order.
    sort_applies: int = field(init=False)
    sort_possible: int = field(init=False)
    # For a one-fact condition, what it needs when undecided never varies.
    static_needs: tuple[str, ...] = field(init=False)
    # For an `all` of plain fact leaves, the undecided leaves are exactly the unknown facts.
    flat_needs: tuple[str, ...] = field(init=False)
    applies_out: dict[str, GroundOut] = field(init=False)
    possible_out: dict[str, GroundOut] = field(init=False)  # used when needs are static

    def __post_init__(self) -> None:
        self.sort_applies = (3 - self.strength) * 2000 + self.order
        self.sort_possible = self.sort_applies + 1000
        self.static_needs = tuple(self.cond.facts) if len(self.cond.facts) == 1 else ()
        when = self.ground.when
        flat = isinstance(when, All) and all(
            isinstance(p, FactIs | FactIn | FactAtLeast) for p in when.all)
        self.flat_needs = tuple(sorted(self.cond.facts)) if flat else ()

    def in_force(self, day: dt.date) -> bool:
        g = self.ground
        return (g.valid_from is None or g.valid_from <= day) and (
            g.valid_until is None or day <= g.valid_until
        )



@dataclass
class CompiledText:
    """A caveat, date note or next step with what makes it relevant: its window, outcomes,
    condition on the facts and (steps) the open facts it helps with; `rank` orders it."""

    id: str
    texts: dict[str, TextOut]
    start: dt.date | None
    until: dt.date | None
    outcomes: frozenset[str] | None
    when: Compiled | None
    source: Condition | None = None
    kind: str = "caveat"  # "caveat", "note" or "step"
    rank: int = 50
    order: int = 0  # position in its file: breaks ties in rank
    missing: frozenset[str] | None = None
    rank_if: tuple[tuple[Compiled, int, Condition], ...] = ()  # (condition, rank, its source)
    mechanism: str = "mobilization"

    def on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (
            self.until is None or day <= self.until
        )

    def shown_for(self, outcome: str, missing: Collection[str]) -> bool:
        """Relevant for this outcome and these open facts (the condition checked apart)."""
        return (self.outcomes is None or outcome in self.outcomes) and (
            self.missing is None or not self.missing.isdisjoint(missing))

    @property
    def key(self) -> tuple[int, int]:
        return (self.rank, self.order)
