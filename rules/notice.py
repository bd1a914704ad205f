""""What is this notice?": which mechanism a summons belongs to, what the law requires, and the
dates that follow from the day it was posted or handed over (notices.yaml).

Pure: answers and an as-of date in, a `NoticeOut` out; nothing is kept. The texts, their windows
and citations are data; this module only picks the lines that fit the answers and computes
their dates (the posting date plus `days`, or the next listed month-day after the as-of date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .guides import TELEGRAM_MESSAGE_LIMIT, utf16_len
from .isodate import window_edges
from .models import (
    LANGS,
    NoticeAnswersIn,
    NoticeItem,
    NoticesFile,
    NoticeTest,
)
from .verdict import CitationOut, Out
from .yamlload import Loc, YamlDoc

KINDS = ("requirements", "dates", "caveats")
# What a citation line shows (render.citation): all the offline page carries of a citation.
CITATION_SHOWN = frozenset({"label", "url", "kind", "by", "date", "confidence"})
# What a front end adds around the rule base's words (headings, bullets, the date line, each
# citation's kind and confidence in words): generous, so a notice that passes here fits.
MARKUP_ALLOWANCE = 300
PER_LINE_ALLOWANCE = 6
PER_CITATION_ALLOWANCE = 110


class NoticeError(ValueError):
    """Answers that do not fit the rule base (an unknown id, a date after the as-of date)."""


@dataclass(frozen=True)
class NoticeAnswers:
    source: str
    purpose: str
    posted: dt.date | None  # None: not known


class NoticeLineOut(Out):
    id: str
    kind: str  # requirements, dates or caveats
    text: str
    date: str | None  # ISO; the date the text names, for date lines with a known date
    citations: tuple[CitationOut, ...]


class NoticeOut(Out):
    as_of: str
    source: str
    purpose: str
    posted: str | None
    mechanism: str
    title: str
    summary: str
    requirements: tuple[NoticeLineOut, ...]
    dates: tuple[NoticeLineOut, ...]
    caveats: tuple[NoticeLineOut, ...]

    def lines(self) -> tuple[NoticeLineOut, ...]:
        return self.requirements + self.dates + self.caveats

    def visible_length(self) -> int:
        """An upper estimate of this answer's length as one message."""
        total = utf16_len(self.title) + utf16_len(self.summary) + MARKUP_ALLOWANCE
        for line in self.lines():
            total += utf16_len(line.text) + PER_LINE_ALLOWANCE
            for c in line.citations:
                total += utf16_len(c.label) + len(c.date or "") + PER_CITATION_ALLOWANCE
        return total


@dataclass(frozen=True)
class _Line:
    item: NoticeItem
    kind: str
    citations: dict[str, tuple[CitationOut, ...]]

    def fits(self, a: NoticeAnswers, mechanism: str, day: dt.date) -> bool:
        i = self.item
        return ((i.sources is None or a.source in i.sources)
                and (i.purposes is None or a.purpose in i.purposes)
                and (i.mechanisms is None or mechanism in i.mechanisms)
                and (i.from_ is None or i.from_ <= day) and (i.until is None or day <= i.until))

    def date_of(self, a: NoticeAnswers, as_of: dt.date) -> dt.date | None:
        i = self.item
        if i.next:
            return next_listed(i.next, as_of)
        if i.days is not None and a.posted is not None:
            return a.posted + dt.timedelta(days=i.days)
        return None

    def out(self, a: NoticeAnswers, as_of: dt.date, lang: str) -> NoticeLineOut:
        day = self.date_of(a, as_of)
        i = self.item
        if day is not None:
            text = i.text.get(lang).format(date=day.strftime("%d.%m.%Y"))
        else:
            text = (i.rule or i.text).get(lang)
        return NoticeLineOut.build(id=i.id, kind=self.kind, text=text,
                                   date=day.isoformat() if day else None,
                                   citations=self.citations[lang])


def next_listed(month_days: Sequence[str], after: dt.date) -> dt.date:
    """The first of the month-days ("04-01") strictly after `after` (a deadline "before 1 April"
    has passed on 1 April)."""
    days = []
    for year in (after.year, after.year + 1):
        for md in month_days:
            month, day = (int(x) for x in md.split("-"))
            days.append(dt.date(year, month, day))
    return min(d for d in days if d > after)


class NoticeBook:
    """notices.yaml, validated and with its citations resolved."""

    def __init__(self, data: NoticesFile, lines: list[_Line], tests: list[NoticeTest]) -> None:
        self.data = data
        self.sources = {s.id: s for s in data.sources}
        self.purposes = {p.id: p for p in data.purposes}
        self.mechanisms = {m.id: m for m in data.mechanisms}
        self._lines = lines
        self.tests = tests

    def answers(self, source: str, purpose: str, posted: dt.date | None,
                as_of: dt.date) -> NoticeAnswers:
        if source not in self.sources:
            raise NoticeError(f"unknown source {source!r}")
        if purpose not in self.purposes:
            raise NoticeError(f"unknown purpose {purpose!r}")
        if posted is not None and posted > as_of:
            raise NoticeError(f"the posting date {posted.isoformat()} is after the as-of date")
        return NoticeAnswers(source, purpose, posted)

    def notice(self, a: NoticeAnswers, as_of: dt.date, lang: str) -> NoticeOut:
        lang = lang if lang in LANGS else "en"
        mech = self.mechanisms[self.purposes[a.purpose].mechanism]
        day = a.posted or as_of
        shown = [ln.out(a, as_of, lang) for ln in self._lines if ln.fits(a, mech.id, day)]
        return NoticeOut.build(
            as_of=as_of.isoformat(), source=a.source, purpose=a.purpose,
            posted=a.posted.isoformat() if a.posted else None, mechanism=mech.id,
            title=mech.title.get(lang), summary=mech.summary.get(lang),
            **{kind: tuple(x for x in shown if x.kind == kind) for kind in KINDS},
        )

    def as_data(self) -> dict[str, Any]:
        """Everything `notice` reads, as plain JSON-ready data, for the offline page's copy of
        this module (offline/notice.js)."""
        def texts(lt: Any) -> dict[str, str] | None:
            return {lang: lt.get(lang) for lang in LANGS} if lt is not None else None

        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "sources": [s.id for s in self.data.sources],
            "labels": {"sources": {s.id: texts(s.label) for s in self.data.sources},
                       "purposes": {p.id: texts(p.label) for p in self.data.purposes}},
            "purposes": [[p.id, p.mechanism] for p in self.data.purposes],
            "mechanisms": {m.id: {"title": texts(m.title), "summary": texts(m.summary)}
                           for m in self.data.mechanisms},
            "lines": [{
                "id": ln.item.id, "kind": ln.kind, "text": texts(ln.item.text),
                "rule": texts(ln.item.rule), "days": ln.item.days, "next": ln.item.next,
                "sources": ln.item.sources, "purposes": ln.item.purposes,
                "mechanisms": ln.item.mechanisms, "from": day(ln.item.from_),
                "until": day(ln.item.until),
                "citations": {lang: [c.model_dump(include=set(CITATION_SHOWN))
                                     for c in ln.citations[lang]] for lang in LANGS},
            } for ln in self._lines],
        }

    def boundary_days(self) -> list[dt.date]:
        """One posting date inside every distinct combination of windows."""
        return window_edges(((ln.item.from_, ln.item.until) for ln in self._lines),
                            dt.date(2022, 1, 1))


# --- loading (called by loader._build) -------------------------------------------------------------


CitationsOut = Callable[[YamlDoc, Loc, list[Any]], dict[str, tuple[CitationOut, ...]]]


def build_notices(doc: YamlDoc, data: NoticesFile, citations_out: CitationsOut,
                  errs: Any) -> NoticeBook:
    """Check the cross-references of notices.yaml (errors go to `errs.add(doc, loc, msg)`)."""
    errors_before = len(errs.errors)
    ids: dict[str, set[str]] = {}
    for key in ("sources", "purposes", "mechanisms"):
        seen: set[str] = set()
        for i, entry in enumerate(getattr(data, key)):
            if entry.id in seen:
                errs.add(doc, (key, i, "id"), f"duplicate id {entry.id!r}")
            seen.add(entry.id)
        ids[key] = seen
    for i, p in enumerate(data.purposes):
        if p.mechanism not in ids["mechanisms"]:
            errs.add(doc, ("purposes", i, "mechanism"), f"unknown mechanism {p.mechanism!r}")
    lines: list[_Line] = []
    line_ids: set[str] = set()
    for kind in KINDS:
        for i, item in enumerate(getattr(data, kind)):
            loc: Loc = (kind, i)
            if item.id in line_ids:
                errs.add(doc, (*loc, "id"), f"duplicate id {item.id!r}")
            line_ids.add(item.id)
            for key in ("sources", "purposes", "mechanisms"):
                for j, ref in enumerate(getattr(item, key) or []):
                    if ref not in ids[key]:
                        errs.add(doc, (*loc, key, j), f"unknown {key[:-1]} {ref!r}")
            if item.from_ and item.until and item.from_ > item.until:
                errs.add(doc, (*loc, "until"), "ends before it starts")
            _check_item(doc, loc, kind, item, errs)
            lines.append(_Line(item, kind, citations_out(doc, (*loc, "citations"),
                                                         item.citations)))
    book = NoticeBook(data, lines, [])
    if len(errs.errors) == errors_before:  # only a consistent book can be rendered
        _check_length(doc, book, errs)
    return book


def _check_item(doc: YamlDoc, loc: Loc, kind: str, item: NoticeItem, errs: Any) -> None:
    dated = item.days is not None or item.next is not None
    if kind == "dates":
        if item.days is not None and item.next is not None:
            errs.add(doc, (*loc, "next"), "give `days` or `next`, not both")
        if item.days is not None and item.rule is None:
            errs.add(doc, (*loc, "rule"), "needs `rule`: the line without a date, for an "
                                          "unknown posting date")
        for lang in LANGS:
            if dated and "{date}" not in item.text.get(lang):
                errs.add(doc, (*loc, "text", lang), "must name the date: write {date}")
            if not dated and "{" in item.text.get(lang):
                errs.add(doc, (*loc, "text", lang), "a line without `days` or `next` has no "
                                                    "{date}")
        if not dated and item.rule is not None:
            errs.add(doc, (*loc, "rule"), "a line without `days` or `next` needs no `rule`")
        for j, md in enumerate(item.next or []):
            try:
                dt.date(2024, *(int(x) for x in md.split("-")))
            except ValueError:
                errs.add(doc, (*loc, "next", j), f"not a day of the year: {md!r}")
    elif dated or item.rule is not None:
        errs.add(doc, (*loc, "days"), f"only a line under `dates` takes days, next or rule "
                                      f"(not under {kind})")
    else:
        for lang in LANGS:
            if "{" in item.text.get(lang) or "}" in item.text.get(lang):
                errs.add(doc, (*loc, "text", lang), "braces are not allowed in this text (only a "
                                                    "date line takes {date})")
    if kind != "caveats" and not item.citations:
        errs.add(doc, (*loc, "citations"), "cite the act this rests on")


def _check_length(doc: YamlDoc, book: NoticeBook, errs: Any) -> None:
    """Every answer fits one Telegram message, in both languages, on every window's day. The
    lengths are summed per line, as `NoticeOut.visible_length` counts them (a date is ten
    characters), without building each answer: the load stays fast."""
    sizes: list[tuple[_Line, dict[str, tuple[int, int]]]] = []
    for ln in book._lines:
        per_lang: dict[str, tuple[int, int]] = {}
        for lang in LANGS:
            cites = sum(utf16_len(c.label) + len(c.date or "") + PER_CITATION_ALLOWANCE
                        for c in ln.citations[lang])
            dated = utf16_len(ln.item.text.get(lang).replace("{date}", "31.12.2026"))
            plain = utf16_len((ln.item.rule or ln.item.text).get(lang))
            per_lang[lang] = (dated + cites + PER_LINE_ALLOWANCE,
                              plain + cites + PER_LINE_ALLOWANCE)
        sizes.append((ln, per_lang))
    worst: tuple[int, str] = (0, "")
    for day in book.boundary_days():
        for source in book.sources:
            for purpose, p in book.purposes.items():
                mech = book.mechanisms[p.mechanism]
                for known in (True, False):
                    a = NoticeAnswers(source, purpose, day if known else None)
                    fitting = [(ln, size) for ln, size in sizes if ln.fits(a, mech.id, day)]
                    for lang in LANGS:
                        n = (utf16_len(mech.title.get(lang)) + utf16_len(mech.summary.get(lang))
                             + MARKUP_ALLOWANCE)
                        for ln, size in fitting:
                            dated = ln.item.next is not None or (known and ln.item.days is not None)
                            n += size[lang][0 if dated else 1]
                        if n > worst[0]:
                            worst = (n, f"{source}/{purpose} posted {day.isoformat()} in {lang}")
    if worst[0] > TELEGRAM_MESSAGE_LIMIT:
        errs.add(doc, (), f"an answer is too long for one Telegram message: about {worst[0]} "
                          f"visible characters for {worst[1]} (at most {TELEGRAM_MESSAGE_LIMIT})")


def check_notice_test(book: NoticeBook, test: NoticeTest) -> str | None:
    a_in: NoticeAnswersIn = test.answers
    try:
        a = book.answers(a_in.source, a_in.purpose, a_in.posted, test.as_of)
    except NoticeError as exc:
        return f"bad answers: {exc}"
    out = book.notice(a, test.as_of, "en")
    problems = []
    if out.mechanism != test.expect.mechanism:
        problems.append(f"mechanism {out.mechanism}, expected {test.expect.mechanism}")
    shown = {ln.id: ln for ln in out.lines()}
    for line_id, date in test.expect.dates.items():
        if line_id not in shown:
            problems.append(f"{line_id} not shown")
        elif shown[line_id].date != (date.isoformat() if date else None):
            problems.append(f"{line_id} on {shown[line_id].date}, expected "
                            f"{date.isoformat() if date else None}")
    for line_id in test.expect.absent:
        if line_id in shown:
            problems.append(f"{line_id} shown, expected absent")
    return "; ".join(problems) or None


def check_test_refs(doc: YamlDoc, loc: Loc, book: NoticeBook, test: NoticeTest,
                    errs: Any) -> None:
    """A notice test names known answers and lines."""
    ids = {ln.item.id for ln in book._lines}
    for key, value, known in (("source", test.answers.source, book.sources),
                              ("purpose", test.answers.purpose, book.purposes)):
        if value not in known:
            errs.add(doc, (*loc, "answers", key), f"unknown {key} {value!r}")
    if test.expect.mechanism not in book.mechanisms:
        errs.add(doc, (*loc, "expect", "mechanism"),
                 f"unknown mechanism {test.expect.mechanism!r}")
    for line_id in [*test.expect.dates, *test.expect.absent]:
        if line_id not in ids:
            errs.add(doc, (*loc, "expect"), f"unknown line {line_id!r}")


__all__ = ["CITATION_SHOWN", "KINDS", "NoticeAnswers", "NoticeBook", "NoticeError", "NoticeLineOut",
           "NoticeOut", "build_notices", "check_notice_test", "next_listed"]
