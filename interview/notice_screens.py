""""What is this notice?": three button questions (where it came from, what it is for, the day
it was posted or handed over) and the answer from the rule base (rules/notice.py). The questions
do not say "you": many ask about a son's or a husband's summons (finding P-16); the answer's
rule-base lines may, and a line above them says whom "you" means there.

The answers travel in the button's state like every other answer, in two fields and nothing
else (facts stay empty):

    question = source * 8 + purpose   (each 0 = not answered yet, else its 1-based place in
                                       notices.yaml, where entries are appended, never reordered)
    option   = 0                      the date question, its first page of days
               1 .. 60                posted or handed over (option - 1) days before the as-of date
               61                     the date is not known
               + 64                   (on an answer: 65 .. 125) the second screen, what the law
                                      requires
               126, 127               the date question, page 1 or 2 (older days)

Dates are counted back from the state's as-of date, so a press the next morning shows the same
answer as the evening before; the screen says which day it counts from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from typing import Protocol

from rules import RuleSet, today_in_moscow
from rules.notice import NoticeError, NoticeLineOut, NoticeOut

from . import render
from .html_text import b, esc, i
from .i18n import N_, Tr, tr
from .state_codec import State
from .views import NEW_MESSAGE, Button, Page, Screen, View

MAX_DAYS_AGO = 59  # the date question offers the last 60 days and "I don't know"
UNKNOWN_DATE = 61
SECOND = 64  # added to an answer's option: the "what the law requires" screen
PICKER = 125  # PICKER + n: the date question's page n (1..2); page 0 is option 0
DAYS_PER_PAGE = 20
DAYS_PER_ROW = 4
SLOT = 8  # question = source * SLOT + purpose

TITLE = N_("What is this notice?")
# The rule base's lines say "you" (to report, the bans): the person it is addressed to, who may
# not be the one asking (offline/model.js shows the same line).
YOU_LINE = N_("“You” below means the person the summons is addressed to.")


class RowsOf(Protocol):
    """flow.rows_of: a screen's navigation rows as interview/screens.py lays them out (passed in,
    so this module does not import the flow that imports it)."""

    def __call__(self, t: Tr, screen: str, targets: Mapping[str, State], *,
                 flags: Collection[str] = (),
                 slots: Mapping[str, list[list[Button]]] | None = None,
                 formats: Mapping[str, Mapping[str, object]] | None = None
                 ) -> list[list[Button]]: ...


@dataclasses.dataclass(frozen=True)
class Answers:
    source: int  # 0 = not yet, else 1-based
    purpose: int
    date: int  # option without SECOND: 0 or PICKER + n asking, 1..60 days ago + 1, 61 unknown
    second: bool

    @classmethod
    def of(cls, state: State) -> Answers:
        option = state.option
        second = SECOND < option <= SECOND + UNKNOWN_DATE
        return cls(state.question // SLOT, state.question % SLOT,
                   option - SECOND if second else option, second)

    def state(self, base: State, **changes: int | bool) -> State:
        a = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        option = a.date + (SECOND if a.second and 1 <= a.date <= UNKNOWN_DATE else 0)
        return dataclasses.replace(base, screen=int(Screen.NOTICE),
                                   question=a.source * SLOT + a.purpose, option=option,
                                   facts={}, dont_know=frozenset())

    @property
    def answered(self) -> bool:
        return 1 <= self.date <= MAX_DAYS_AGO + 1 or self.date == UNKNOWN_DATE

    @property
    def picker_page(self) -> int:
        return self.date - PICKER if self.date > PICKER else 0


def start(state: State) -> State:
    """The state of the greeting's button: the first question."""
    return Answers(0, 0, 0, False).state(state)


def press(rs: RuleSet, state: State, rows_of: RowsOf) -> View | None:
    """The notice screen for `state`; None when the state does not fit this rule base (the
    caller answers it as a stale button)."""
    book = rs.notices
    if book is None:
        return None
    a = Answers.of(state)
    sources, purposes = book.data.sources, book.data.purposes
    valid_date = (a.date <= MAX_DAYS_AGO + 1 or a.date == UNKNOWN_DATE
                  or PICKER < a.date <= PICKER + _pages() - 1)
    if a.source > len(sources) or a.purpose > len(purposes) or not valid_date:
        return None
    if a.purpose and not a.source:
        return None
    t = tr(state.lang)
    if not a.source:
        return _choose(t, rows_of, state, N_("Where did it come from?"),
                       [(c.label.get(t.lang), a.state(state, source=n))
                        for n, c in enumerate(sources, start=1)],
                       back=dataclasses.replace(state, screen=int(Screen.GREETING), question=0,
                                                option=0))
    if not a.purpose:
        return _choose(t, rows_of, state, N_("What is it for?"),
                       [(p.label.get(t.lang), a.state(state, purpose=n))
                        for n, p in enumerate(purposes, start=1)],
                       back=a.state(state, source=0), hint=N_(
                           "The purpose is printed on the summons, next to the date and "
                           "time to report."))
    if not a.answered:
        return _date_question(t, rows_of, state, a)
    source, purpose = sources[a.source - 1].id, purposes[a.purpose - 1].id
    as_of = state.as_of
    posted = None if a.date == UNKNOWN_DATE else as_of - dt.timedelta(days=a.date - 1)
    try:
        out = rs.notice(book.answers(source, purpose, posted, as_of), as_of, state.lang)
    except NoticeError:
        return None
    return _answer(t, rows_of, state, a, out)


def _pages() -> int:
    return (MAX_DAYS_AGO + DAYS_PER_PAGE) // DAYS_PER_PAGE


def _header(t: Tr, state: State) -> list[str]:
    return [render.neutral_header(t), b(t.gettext(TITLE)),
            render.as_of_line(t, state.as_of, today_in_moscow())]


def _choose(t: Tr, rows_of: RowsOf, state: State, question: str,
            choices: list[tuple[str, State]], back: State, hint: str | None = None) -> View:
    text = [*_header(t, state), "", b(t.gettext(question))]
    if hint:
        text += ["", i(t.gettext(hint))]
    answers = [[Button(label, target, kind="answer")] for label, target in choices]
    return View(["\n".join(text)], rows_of(t, "notice_question", {
        "back": back, "restart": start(state), "lang": state}, slots={"@answers": answers}))


def _date_question(t: Tr, rows_of: RowsOf, state: State, a: Answers) -> View:
    page = a.picker_page
    first = page * DAYS_PER_PAGE
    last = min(first + DAYS_PER_PAGE - 1, MAX_DAYS_AGO)
    today = state.as_of == today_in_moscow()
    days: list[Button] = []
    for ago in range(first, last + 1):
        day = state.as_of - dt.timedelta(days=ago)
        shown = day.strftime("%d.%m")
        if ago == 0:
            label = (t.gettext("Today, {date}") if today else "{date}").format(date=shown)
        elif ago == 1 and today:
            label = t.gettext("Yesterday, {date}").format(date=shown)
        else:
            label = shown
        days.append(Button(label, a.state(state, date=ago + 1), kind="answer"))
    flags = {"later"} if page > 0 else set()
    if page + 1 < _pages():
        flags.add("earlier")
    text = [*_header(t, state), "", b(t.gettext(
        "On what day was it posted in the register or handed over?")), "",
        i(t.gettext("For an electronic summons: the day it appeared in the register or on "
                    "Gosuslugi. For a paper one: the day it was signed for. The last {n} "
                    "days are offered.").format(n=MAX_DAYS_AGO + 1))]
    return View(["\n".join(text)], rows_of(t, "notice_date", {
        "earlier": a.state(state, date=PICKER + page + 1),
        "later": a.state(state, date=PICKER + page - 1 if page > 1 else 0),
        "dont_know_date": a.state(state, date=UNKNOWN_DATE),
        "back": a.state(state, purpose=0, date=0),
        "restart": start(state),
        "lang": a.state(state),
    }, flags=flags, slots={"@days": [days[n:n + DAYS_PER_ROW]
                                     for n in range(0, len(days), DAYS_PER_ROW)]}))


def _line(t: Tr, line: NoticeLineOut) -> str:
    return "\n".join(["• " + esc(line.text),
                      *("   " + render.citation(t, c, confidence=True) for c in line.citations)])


def _answer(t: Tr, rows_of: RowsOf, state: State, a: Answers, out: NoticeOut) -> View:
    here = a.state(state)
    text = _header(t, state)
    if out.posted:
        posted = dt.date.fromisoformat(out.posted)
        n = (state.as_of - posted).days
        if n == 0:
            said = t.gettext("Posted or handed over on {date}, the day of this check.")
        else:
            said = t.ngettext("Posted or handed over on {date}, {n} day before {as_of}.",
                              "Posted or handed over on {date}, {n} days before {as_of}.", n)
        text.append(esc(said.format(date=posted.strftime("%d.%m.%Y"), n=n,
                                    as_of=state.as_of.strftime("%d.%m.%Y"))))
    else:
        text.append(esc(t.gettext("The day it was posted or handed over is not known.")))
    text += ["", b(out.title)]
    if not a.second:  # the second screen is read after the first: the summary once
        text.append(esc(out.summary))
    text.append(i(t.gettext(YOU_LINE)))
    if a.second:
        blocks = [("What the law requires", out.requirements), ("Caveats", out.caveats)]
    else:
        blocks = [("Dates", out.dates)]
    for heading, lines in blocks:
        if lines:
            text += ["", b(t.gettext(heading)), *(_line(t, ln) for ln in lines)]
    text += ["", i(t.gettext("Not legal advice. Nothing you answered is stored."))]
    other = a.state(state, second=not a.second)
    return View(["\n".join(text)], rows_of(t, "notice_answer", {
        "notice_law": other,
        "notice_dates": other,
        "summons_page": _page(state, Page.SUMMONS, a.purpose),
        "get_help_page": _page(state, Page.GET_HELP),
        "start_questions": dataclasses.replace(here, screen=int(Screen.RESTART), question=0,
                                               option=0),
        "notice_back": a.state(state, date=0, second=False),
        "another_notice": start(state),
        "lang": here,
    }, flags={"law_shown" if a.second else "dates_shown"}))


def _page(state: State, which: Page, purpose: int = 0) -> State:
    """A page below the notice; the summons guide keeps the purpose answered (flow.page)."""
    return dataclasses.replace(state, screen=int(Screen.PAGE), question=purpose,
                               option=int(which) + NEW_MESSAGE, facts={}, dont_know=frozenset())


def purpose_mechanism(rs: RuleSet, purpose: int) -> str:
    """The call-up of the notice purpose at 1-based place `purpose`; "unknown" for 0 or one
    this rule base does not have."""
    book = rs.notices
    if book is None or not 0 < purpose <= len(book.data.purposes):
        return "unknown"
    return book.data.purposes[purpose - 1].mechanism


# Headings translated where shown (the loop above passes them through gettext).
_HEADINGS = (N_("What the law requires"), N_("Caveats"), N_("Dates"))
