"""Guides: screens of practical guidance (a summons in hand; already serving), dated like grounds.

A guide is data in guides.yaml; `RuleSet.guide(id, as_of)` returns the sections in force that day.
Front ends render it; `GuideOut.visible_length` is the yardstick the loader and the tests hold
against one Telegram message, whatever the front end's markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .isodate import window_edges
from .models import LANGS, GuideSection, LText
from .verdict import CitationOut, Out

TELEGRAM_MESSAGE_LIMIT = 4096  # visible characters (UTF-16 code units after entity parsing)
# What a front end may add around the rule base's words: bullets, a "sources" word, line breaks,
# a date line. Generous on purpose, so a guide that passes here fits however it is drawn.
MARKUP_ALLOWANCE = 60
PER_SECTION_ALLOWANCE = 30
PER_ITEM_ALLOWANCE = 3
PER_CITATION_ALLOWANCE = 44  # the front end adds the kind of source ("official statement, not law")
UNKNOWN = "unknown"  # a guide opened with no call-up in view: the sections for any summons


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class GuideSectionOut(Out):
    heading: LText
    items: tuple[LText, ...]
    citations: dict[str, tuple[CitationOut, ...]]  # by language: labels differ

    def cites(self, lang: str) -> tuple[CitationOut, ...]:
        return self.citations.get(lang) or self.citations.get("en") or ()


class GuideOut(Out):
    id: str
    as_of: str
    title: LText
    sections: tuple[GuideSectionOut, ...]

    def visible_length(self, lang: str) -> int:
        """An upper estimate of the visible length of this guide as one message in `lang`:
        every text, every citation label and date, plus an allowance for markup."""
        total = utf16_len(self.title.get(lang)) + MARKUP_ALLOWANCE
        for section in self.sections:
            total += utf16_len(section.heading.get(lang)) + PER_SECTION_ALLOWANCE
            for item in section.items:
                total += utf16_len(item.get(lang)) + PER_ITEM_ALLOWANCE
            for cite in section.cites(lang):
                total += utf16_len(cite.label) + len(cite.date or "") + PER_CITATION_ALLOWANCE
        return total


@dataclass(frozen=True)
class CompiledSection:
    section: GuideSection
    citations: dict[str, tuple[CitationOut, ...]]

    def on(self, day: dt.date, mechanism: str = UNKNOWN) -> bool:
        s = self.section
        return ((s.from_ is None or s.from_ <= day) and (s.until is None or day <= s.until)
                and (s.mechanisms is None or mechanism in s.mechanisms))

    def out(self) -> GuideSectionOut:
        return GuideSectionOut.build(
            heading=self.section.heading, items=tuple(self.section.items),
            citations=self.citations,
        )


@dataclass(frozen=True)
class CompiledGuide:
    id: str
    title: LText
    sections: tuple[CompiledSection, ...]

    def on(self, day: dt.date, mechanism: str = UNKNOWN) -> GuideOut:
        """The sections in force on `day` for the call-up `mechanism` ("unknown": none in view)."""
        return GuideOut.build(
            id=self.id, as_of=day.isoformat(), title=self.title,
            sections=tuple(s.out() for s in self.sections if s.on(day, mechanism)),
        )

    def mechanisms(self) -> list[str]:
        """Every call-up some section is for, "unknown" always among them."""
        out = {UNKNOWN}
        for s in self.sections:
            out.update(s.section.mechanisms or ())
        return sorted(out)

    def boundary_days(self) -> list[dt.date]:
        """One day inside every distinct combination of sections in force."""
        return window_edges(((s.section.from_, s.section.until) for s in self.sections),
                            dt.date(1990, 1, 1))

    def longest(self) -> tuple[str, dt.date, int]:
        """The language and day on which this guide is longest, and that length."""
        return max(((lang, day, self.on(day, mech).visible_length(lang))
                    for day in self.boundary_days() for mech in self.mechanisms()
                    for lang in LANGS), key=lambda t: t[2])


__all__ = ["TELEGRAM_MESSAGE_LIMIT", "CompiledGuide", "GuideOut", "GuideSectionOut", "utf16_len"]
