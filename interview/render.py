"""Text builders shared by Telegram and the terminal chat. Every string a person reads comes from
the gettext catalogs (msgids are the English text) or from the rule base; all dynamic text is
escaped here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rules import GroundOut, RuleSet, Verdict, today_in_moscow
from rules.models import Question
from rules.verdict import CitationOut, DateOut, MechanismOut

from .html_text import b, esc, i, link, pack, visible_length
from .i18n import N_, Tr
from .papers import Paper, plain_text

VERDICT_LIMIT = 2000  # visible characters (UTF-16 units): the verdict fits one phone screen
SCREEN_LIMIT = 4096  # Telegram's limit for one message


# What a verdict may still depend on, as clauses that join after "It depends on" in English and
# "Ответ зависит от того, …" in Russian ("подходит ли работодатель и включил ли он …").
FACT_NAMES: dict[str, str] = {
    "sex": N_("whether the person is a man or a woman"),
    "birth_date": N_("the exact date of birth"),
    "birth_year": N_("the year of birth"),
    "birth_month": N_("the month of birth"),
    "age": N_("the age"),
    "citizen": N_("whether the person has Russian citizenship"),
    "military_status": N_("the military registration status"),
    "rank": N_("the military rank"),
    "fitness": N_("the fitness category"),
    "conviction": N_("whether there is a criminal record or a criminal case"),
    "student": N_("whether and in what form the person studies"),
    "student_program_ok": N_("whether the study programme qualifies"),
    "children_under_16": N_("how many children under 16 there are"),
    "raises_children_alone": N_("whether the father raises the children without their mother"),
    "wife_pregnant_22w": N_("whether the wife is at least 22 weeks pregnant"),
    "disabled_child": N_("whether there is a child with a disability"),
    "cares_for_relative": N_("whether the person cares for a relative"),
    "guardian_of_sibling": N_("whether the person is the guardian of a brother or sister"),
    "mother_alone_with_4_under_8": N_("whether the mother raises four or more children under 8 "
                                      "alone"),
    "parliament_member": N_("whether the person is a senator or a State Duma deputy"),
    "reserved_by_employer": N_("whether the employer has reserved the person"),
    "sector": N_("where the person works"),
    "accredited_employer": N_("whether the employer qualifies"),
    "higher_education": N_("whether there is a higher-education degree"),
    "on_employer_list": N_("whether the employer has put the employee on its list"),
    "student_programme": N_("what kind of study programme it is (accredited, postgraduate or "
                            "neither)"),
    "student_first_time": N_("whether this level of education is obtained for the first time"),
    "conscientious_objector": N_("whether service conflicts with the person's beliefs"),
    "abroad": N_("whether the person lives abroad and is off the register"),
    "reserve_contract": N_("whether there is a mobilization-reserve contract"),
    "academic_degree": N_("whether the person holds an academic degree"),
    "relative_died_in_service": N_("whether the father or a brother died in service"),
}

# One plain line each, at most two lines on a phone (phone.py); no pronoun, so it reads right for
# a man, a woman, oneself or a relative. What a headline leaves out follows in OUTCOME_DETAIL.
OUTCOME_HEADLINE: dict[str, str] = {
    "not_subject": N_("By law, cannot be called up under this mobilization."),
    "deferral": N_("Entitled by law to a deferral (otsrochka)."),
    "conditional": N_("Protection is possible, but not by law."),
    "subject": N_("Can be called up: no known ground applies."),
    "undetermined": N_("We cannot tell yet: some facts are still unknown."),
}

OUTCOME_DETAIL: dict[str, str] = {
    "conditional": N_("It rests on an unpublished decision or an official statement, which a "
                      "commission may ignore."),
    "subject": N_("That is, if call-up under Decree No. 647 is under way or resumes."),
}

OUTCOME_SHORT: dict[str, str] = {
    "not_subject": N_("not subject to call-up"),
    "deferral": N_("deferral"),
    "conditional": N_("not a published law"),
    "by_law": N_("by law, on conditions"),
}

# A ground whose outcome word would mislead: the already serving are not "not subject to call-up"
# (issue 7); they are in service, and the service screen says what that means.
GROUND_SHORT: dict[str, str] = {
    "already_serving": N_("already in service: see “Already serving or mobilized”"),
}


def ground_short(t: Tr, ground_id: str, key: str) -> str:
    """A ground's outcome in a few words; `key`: ground_outcome's."""
    return t.gettext(GROUND_SHORT.get(ground_id) or OUTCOME_SHORT[key])


def ground_outcome(outcome: str, citations: Sequence[CitationOut]) -> str:
    """The key of a ground's outcome words. The rule base's `conditional` covers two things: a
    ground resting on an unpublished act or a statement ("not by law"), and a right under
    published law whose conditions the bot cannot check (alternative service, the IT deferral):
    a conditional ground whose every citation is a published act reads "on conditions" (finding
    P-01 of 2026-12). offline/model.js says the same (groundOutcome)."""
    if outcome == "conditional" and all(c.kind == "published" for c in citations):
        return "by_law"
    return outcome


def outcome_key(m: Verdict | MechanismOut) -> str:
    """The key of an answer's outcome words: "by_law" when it is conditional and a
    conditional ground on published law applies (ground_outcome), else the outcome."""
    if m.outcome == "conditional" and any(
            ground_outcome(g.outcome, g.citations) == "by_law" for g in m.applying):
        return "by_law"
    return m.outcome


SOURCE_KINDS: dict[str, str] = {
    "published": N_("Published laws, decrees and resolutions"),
    "unpublished": N_("Unpublished directives, decisions and letters, known from reports"),
    "statement": N_("Official statements and explainers (not law)"),
}

CONFIDENCE_WORDS: dict[str, str] = {
    "V": N_("checked against the sources"),
    "P": N_("partly checked (a number or date is not confirmed)"),
    "M": N_("our reading of the law, not confirmed by a source"),
}


def neutral_header(t: Tr) -> str:
    # The first line is what a lock screen or chat list shows: nothing telling.
    return b(t.gettext("Note"))


def greeting(t: Tr, counts: tuple[int, int]) -> str:
    """`counts`: the most button questions an interview takes with every answer known, and
    with "I don't know" answers (progress.greeting_counts)."""
    known, most = counts
    lines = [
        neutral_header(t),
        "",
        esc(t.gettext("Here you can check whether a person can be called up for military service, "
                      "to reservists' assemblies or under the partial mobilization of 21 September "
                      "2022 (Decree No. 647), and which legal grounds protect them.")),
        esc(t.gettext("Button questions: at most {known} if the answers are known, up to {most} "
                      "with “I don't know”; an answer that settles it ends them sooner.").format(
                          known=known, most=most)),
        "",
        esc(t.gettext("The answer is given for each of these separately; where the law is vague or "
                      "unpublished, it says so. It is not legal advice.")),
        "",
        i(t.gettext("Nothing you answer is stored: the answers travel in the buttons of this "
                    "chat only. You can ask for yourself or for a relative.")),
    ]
    return "\n".join(lines)


def progress_line(t: Tr, number: int, total: int) -> str:
    return esc(t.gettext("Question {number} of at most {total}").format(
        number=number, total=total))


def as_of_line(t: Tr, as_of: dt.date, today: dt.date) -> str:
    if as_of == today:
        return esc(t.gettext("Checked as of today, {date}.").format(date=t.date(as_of)))
    return b(t.gettext("Checked as of {date}: answer as things stood on that day.").format(
        date=t.date(as_of)))


def question(t: Tr, q: Question, number: int, total: int, as_of: dt.date,
             today: dt.date) -> str:
    parts = [neutral_header(t), progress_line(t, number, total), as_of_line(t, as_of, today), "",
             b(q.text.get(t.lang))]
    if q.kind == "checklist":
        parts.append(i(t.gettext("Tick everything that applies, then press “Done”.")))
    if q.help:
        parts += ["", i(q.help.get(t.lang))]
    return "\n".join(parts)


def number_ranges(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 -> "1–3, 5"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def review(t: Tr, rows: Sequence[tuple[int, str, str]], as_of: dt.date, today: dt.date,
           unknown: Sequence[int] = ()) -> str:
    """rows: (number, question text, answer text); `unknown`: the numbers of the questions
    answered "I don't know", on one line ("2–5, 9 → I don't know")."""
    parts = [neutral_header(t), b(t.gettext("Check your answers")), as_of_line(t, as_of, today),
             ""]
    for number, text, answer in rows:
        parts.append(f"{number}. {esc(text)}\n    → {b(answer)}")
    if unknown:
        parts.append(number_ranges(unknown) + " → " + b(t.gettext("I don't know")))
    parts += ["", esc(t.gettext("Press a numbered button to change that answer, or see the "
                                "result."))]
    return "\n".join(parts)


# --- citations -------------------------------------------------------------------------------------


def short_date(day: str | None) -> str:
    return dt.date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""


def citation(t: Tr, c: CitationOut, *, confidence: bool = False) -> str:
    """One citation: the act (linked when its official page is known), what kind of source it
    is, one date; with `confidence`, how well it is checked, in words."""
    label = link(c.label, c.url) if c.url else esc(c.label)
    bits = [label]
    date = short_date(c.date)
    if c.kind == "published":
        bits.append(esc(t.gettext("published act")))
    elif c.kind == "statement":
        bits.append(esc(t.gettext("official statement, not a law")))
    elif c.by:
        bits.append(esc(t.gettext("unpublished document, known from {source}").format(
            source=c.by)))
    else:
        bits.append(esc(t.gettext("unpublished document")))
    if date and date not in c.label:
        bits.append(esc(date))
    if confidence:
        bits.append(i(t.gettext(CONFIDENCE_WORDS[c.confidence])))
    return " · ".join(bits)


# --- joins -------------------------------------------------------------------------------------------


def join_clauses(t: Tr, clauses: Sequence[str]) -> str:
    """"a, b and c": the last two joined by "and" ("и"), never by a comma."""
    items = list(clauses)
    if len(items) <= 1:
        return "".join(items)
    return t.gettext("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def depends_on(t: Tr, keys: Sequence[str], most: int | None = None) -> str:
    """"It depends on a, b and c." With `most`, only the first `most` facts (the planner's order:
    those that decide most) and "N more", the full list being on the All grounds screen."""
    clauses = [t.gettext(FACT_NAMES.get(k, k)) for k in keys]
    if most is not None and len(clauses) > most + 1:
        rest = len(clauses) - most
        clauses = [*clauses[:most], t.ngettext(
            "{n} more thing (see “All grounds”)", "{n} more things (see “All grounds”)",
            rest).format(n=rest)]
    return t.gettext("It depends on {things}.").format(things=join_clauses(t, clauses))


# --- the verdict: one message --------------------------------------------------------------------


def _deciding(v: Verdict | MechanismOut,
              blind: Mapping[str, frozenset[str]] | None = None) -> list[GroundOut]:
    """The one or two grounds that decide the outcome: the strongest applying ones; for an open
    answer, the strongest possible ones, those the answers given bear on first. `blind`: each
    ground's open facts when nothing is known; a ground open on exactly those was left open by
    "I don't know" alone. When every open ground is, and there are more than two, none leads."""
    applying = [g for g in v.grounds if g.status == "applies"]
    if applying:
        top = applying[0].outcome
        return [g for g in applying if g.outcome == top][:2]
    possible = [g for g in v.grounds if g.status == "possible"]
    if blind is None:
        return possible[:2]
    bearing = [g for g in possible if frozenset(g.needs) != blind.get(g.id, frozenset(g.needs))]
    rest = [g for g in possible if g not in bearing]
    return [*bearing, *rest][:2] if bearing or len(rest) <= 2 else []


BLIND_LINE = N_("Every ground still open depends on an answer that was “I don't know”: see “All "
                "grounds”.")
DEPENDS_ON_MOST = 3  # facts named in the verdict's "It depends on"; the rest are counted


# --- the mechanisms: one line each ----------------------------------------------------------------

MECHANISM_NAMES: dict[str, str] = {
    "conscription": N_("Conscription"),
    "assemblies": N_("Reservists' assemblies"),
    "mobilization": N_("Mobilization"),
}

# The outcome in a mechanism's line, after "Conscription: ".
MECHANISM_OUTCOME: dict[str, str] = {
    "not_subject": N_("not subject"),
    "deferral": N_("deferral"),
    "conditional": N_("protection not by law"),
    "by_law": N_("protection on conditions"),
    "subject": N_("can be called up"),
    "undetermined": N_("not clear yet"),
}

# The most pressing first: what can call the person up now, then what is open, then protection.
PRESSING: dict[str, int] = {"subject": 0, "undetermined": 1, "conditional": 2, "deferral": 3,
                            "not_subject": 4}
MECHANISM_ORDER = tuple(MECHANISM_NAMES)  # on a tie: conscription runs all year, then assemblies


# The weeks the 2022 call-up was under way (Decree 647 of 21 September; the Defence Minister
# reported it complete on 28 October): checked as of a day in them, mobilization comes first.
MOBILIZATION_UNDER_WAY = (dt.date(2022, 9, 21), dt.date(2022, 10, 28))


def mechanisms(v: Verdict) -> list[MechanismOut]:
    """The mechanisms that concern the person, the most pressing first: by outcome (what can
    call the person up, then what is open, then protection), mobilization first while its
    call-up was under way."""
    shown = [m for m in v.mechanisms.values() if m.concerns]
    start, end = MOBILIZATION_UNDER_WAY
    under_way = start.isoformat() <= v.as_of <= end.isoformat()

    def rank(m: MechanismOut) -> tuple[int, int, int]:
        order = MECHANISM_ORDER.index(m.id) if m.id in MECHANISM_ORDER else len(MECHANISM_ORDER)
        return (0 if under_way and m.id == "mobilization" else 1, PRESSING[m.outcome], order)

    return sorted(shown, key=rank)


def focus(v: Verdict) -> Verdict | MechanismOut:
    """What the verdict screen explains below the lines: the most pressing mechanism
    (mobilization as the Verdict itself, which carries its advice and skipped grounds)."""
    shown = mechanisms(v)
    return v if not shown or shown[0].id == "mobilization" else shown[0]


def mechanism_parts(t: Tr, m: MechanismOut) -> tuple[str, str]:
    """"Conscription: deferral" and " — Full-time study, until 30 June 2029" (plain text,
    unescaped): the outcome, then the ground that decides it and the day it ends where the law
    fixes one. The first part fits two lines of a phone (phone.py), so it can be the headline."""
    head = t.gettext("{mechanism}: {outcome}").format(
        mechanism=t.gettext(MECHANISM_NAMES.get(m.id, m.id)),
        outcome=t.gettext(MECHANISM_OUTCOME[outcome_key(m)]))
    tail = ""
    applying = m.applying
    if applying and m.outcome in ("not_subject", "deferral", "conditional"):
        # A title reads "Full-time study: deferral while studying"; the outcome is said already.
        tail += " — " + applying[0].title.split(": ", 1)[0]
    if m.until:
        tail += t.gettext(", until {date}").format(date=t.date(dt.date.fromisoformat(m.until)))
    return head, tail


def mechanism_line(t: Tr, m: MechanismOut) -> str:
    return "".join(mechanism_parts(t, m))


def dates_of(m: Verdict | MechanismOut) -> tuple[DateOut, ...]:
    """The dates the law fixes for this answer (mobilization has none)."""
    return m.dates if isinstance(m, MechanismOut) else ()


def date_line(t: Tr, d: DateOut) -> str:
    """"31 March 2027: Last day to …" (plain text), as the What to do screen lists it."""
    return f"{t.date(dt.date.fromisoformat(d.date))}: {d.text}"


def verdict(t: Tr, v: Verdict, blind: Mapping[str, frozenset[str]] | None = None) -> str:
    """The verdict on one phone screen (at most VERDICT_LIMIT visible characters): the outcome,
    the deciding grounds with their main citation, up to three next steps, the top caveat.
    `blind`: see _deciding."""
    # One line per mechanism that concerns the person, the most pressing first (in bold); the rest
    # of the screen is about that one. Mobilization keeps its headline and its skipped grounds.
    shown = mechanisms(v)
    m = focus(v)
    parts = [mechanism_parts(t, x) for x in shown]
    head = [neutral_header(t), *(b(p[0]) + esc(p[1]) if n == 0 else esc(p[0] + p[1])
                                 for n, p in enumerate(parts))]
    if m is v:
        # (No mobilization ground is conditional on published acts only, so the headline needs no
        # "by_law" words: tests/test_rules_personas_2026_12.py holds it so.)
        head += ["", b(t.gettext(OUTCOME_HEADLINE[v.outcome]))]
        if v.outcome in OUTCOME_DETAIL:
            head.append(esc(t.gettext(OUTCOME_DETAIL[v.outcome])))
    elif v.outcome == "subject" and any(x.id == "mobilization" for x in shown):
        # Mobilization's "can be called up" under another line (a reservist today, under the
        # assemblies) holds only while its call-up runs or resumes: said below the lines, as
        # under the headline when mobilization leads.
        head += ["", esc(t.gettext(OUTCOME_DETAIL["subject"]))]
    if m.outcome in ("conditional", "undetermined") and m.missing:
        head.append(esc(depends_on(t, m.missing, most=DEPENDS_ON_MOST)))
    grounds: list[str] = []
    deciding = _deciding(m, blind)
    if not deciding and any(g.status == "possible" for g in m.grounds):
        grounds.append(i(t.gettext(BLIND_LINE)))
    for g in deciding:
        line = f"• {b(g.title)}"
        if g.status == "possible":
            line += " — " + esc(t.gettext("may apply"))
        grounds.append(line + "\n   " + citation(t, g.citations[0]))
    if m.basis is not None:
        grounds.append(f"• {b(m.basis.title)}\n   " + citation(t, m.basis.citations[0]))
    # Each other mechanism's line rests on a ground (or a rule) too: its title and citation.
    for x in shown[1:]:
        first = [g for g in x.grounds if g.status == "applies"][:1]
        if first:
            grounds.append(f"• {b(first[0].title)}\n   " + citation(t, first[0].citations[0]))
        elif x.basis is not None:
            grounds.append(f"• {b(x.basis.title)}\n   " + citation(t, x.basis.citations[0]))
    # After every bullet, as on the page: between two, they read as about the second (P-21).
    more = len([g for g in m.grounds if g.status == "applies"]) - len(
        [g for g in deciding if g.status == "applies"])
    if more > 0:
        grounds.append(i(t.ngettext("{n} more ground applies: see “All grounds”.",
                                    "{n} more grounds apply: see “All grounds”.", more).format(
            n=more)))
    if m is v and v.skipped and v.outcome in ("not_subject", "deferral"):
        grounds.append(i(t.gettext("Other grounds were not checked because this one settles "
                                   "the answer.")))
    # A date the law fixes (the last day to apply for alternative service) is the first step once
    # the answer is settled: the one thing that decides such a case must not be a press away
    # (finding P-02 of 2026-12). While facts are open, the steps say what to look up first.
    dated = [] if m.missing else [date_line(t, d) for d in dates_of(m)]
    steps = [*dated, *(s.text for s in m.steps)][:3]
    caveat = m.caveats[0].text if m.caveats else None
    foot = i(t.gettext("As of {date} · rules version {version}").format(
        date=t.date(dt.date.fromisoformat(v.as_of)), version=v.rules_version))

    def build(grounds: list[str], steps: list[str], caveat: str | None) -> str:
        blocks = ["\n".join(head)]
        if grounds:
            title = t.gettext("Why") if m.outcome != "undetermined" else t.gettext(
                "What is still open")
            blocks.append(b(title) + "\n" + "\n".join(grounds))
        if steps:
            blocks.append(b(t.gettext("What to do now")) + "\n" + "\n".join(
                f"{n}. {esc(s)}" for n, s in enumerate(steps, 1)))
        if caveat:
            blocks.append(b(t.gettext("Important")) + "\n" + esc(caveat).replace("\n", "\n   "))
        blocks.append(foot)
        return "\n\n".join(blocks)

    text = build(grounds, steps, caveat)
    # Rule base texts can grow: give up detail, least important first, to stay on one screen.
    while visible_length(text) > VERDICT_LIMIT and (steps or caveat or len(grounds) > 1):
        if len(steps) > 1:
            steps = steps[:-1]
        elif caveat:
            caveat = None
        elif len(grounds) > 1:
            grounds = grounds[:-1]
        else:
            steps = []
        text = build(grounds, steps, caveat)
    return text


def _sections(t: Tr, v: Verdict) -> list[tuple[str | None, Verdict | MechanismOut]]:
    """The detail screens' sections: one per mechanism that concerns the person, the most
    pressing first, each headed by its verdict line; mobilization as the Verdict itself (it
    carries the advice and the skipped count). With one mechanism, no heading, as before."""
    shown = mechanisms(v)
    parts: list[tuple[str | None, Verdict | MechanismOut]] = [
        (b(mechanism_line(t, m)), v if m.id == "mobilization" else m) for m in shown]
    if not parts:
        return [(None, v)]
    if len(parts) == 1:
        return [(None, parts[0][1])]
    return parts


def grounds_screen(t: Tr, v: Verdict) -> list[str]:
    """All grounds: those that apply and those that may, each with its explanation and every
    citation, and how well each is checked, in words; by mechanism."""
    blocks = [neutral_header(t) + "\n" + b(t.gettext("All grounds"))]
    for heading, m in _sections(t, v):
        if heading:
            blocks.append("━━━\n" + heading)
        blocks += _grounds_blocks(t, m, v.skipped if m is v else 0)
    return pages(t, blocks)


def _grounds_blocks(t: Tr, m: Verdict | MechanismOut, skipped: int) -> list[str]:
    blocks: list[str] = []
    applying = [g for g in m.grounds if g.status == "applies"]
    possible = [g for g in m.grounds if g.status == "possible"]
    if applying:
        blocks.append(b(t.gettext("Grounds that apply")))
        blocks += [_ground_block(t, g) for g in applying]
    if m.basis is not None:
        blocks.append(b(m.basis.title) + "\n" + "\n".join(
            "• " + citation(t, c, confidence=True) for c in m.basis.citations))
    if possible:
        blocks.append(b(t.gettext("Grounds that may apply")))
        for g in possible:
            block = _ground_block(t, g)
            if g.needs:
                block += "\n" + i(depends_on(t, g.needs))
            blocks.append(block)
    if skipped:
        blocks.append(i(t.ngettext(
            "{n} other ground was not checked: the answers already settle the outcome.",
            "{n} other grounds were not checked: the answers already settle the outcome.",
            skipped).format(n=skipped)))
    if not applying and not possible and m.basis is None:
        blocks.append(esc(t.gettext("No ground applies to these answers.")))
    return blocks


def _ground_block(t: Tr, g: GroundOut) -> str:
    kind = ground_short(t, g.id, ground_outcome(g.outcome, g.citations))
    lines = [f"{b(g.title)} — {esc(kind)}", esc(g.explanation)]
    if g.note:
        lines.append(i(g.note))
    lines += ["• " + citation(t, c, confidence=True) for c in g.citations]
    return "\n".join(lines)


def todo_screen(t: Tr, v: Verdict) -> list[str]:
    """What to do: every relevant next step, each applying ground's documents, the advice; by
    mechanism."""
    blocks = [neutral_header(t) + "\n" + b(t.gettext("What to do"))]
    for heading, m in _sections(t, v):
        if heading:
            blocks.append("━━━\n" + heading)
        if m.steps:
            blocks.append("\n".join(f"{n}. {esc(s.text)}" for n, s in enumerate(m.steps, 1)))
        for g in m.grounds:
            if g.status == "applies":
                blocks.append(f"{b(g.title)}\n{esc(g.todo)}")
        own = m if isinstance(m, MechanismOut) else v.mechanisms.get("mobilization")
        for d in own.dates if own is not None else ():
            blocks.append(f"• {b(t.date(dt.date.fromisoformat(d.date)))}: {esc(d.text)}")
    if v.advice:
        blocks.append(b(t.gettext("Worth checking")) + "\n" + "\n".join(
            "• " + esc(a.text) for a in v.advice))
    return pages(t, blocks)


def documents_screen(t: Tr, titles: list[str]) -> str:
    """The documents that fit: what they are, what stays blank (never asked here) and who signs
    them (the person they are for, who may not be the one asking: finding P-16)."""
    head = neutral_header(t) + "\n" + b(t.gettext("Documents"))
    if not titles:
        return head + "\n\n" + esc(t.gettext(
            "No written document fits these answers: a request needs a ground the law gives."))
    return head + "\n\n" + esc(t.gettext(
        "Requests and complaints built from your answers, in Russian, as PDF files. Each leaves "
        "blank lines for the name, date of birth, address and passport: fill them in by hand. "
        "They are never asked here, and nothing is kept. The person you asked about signs them "
        "personally, not a relative on their behalf. Choose one:"))


def paper_text(t: Tr, paper: Paper) -> str:
    """A written document as a text screen (the terminal's view of what the bot sends as PDF)."""
    return b(paper.title) + "\n" + esc(paper.caption) + "\n\n" + esc(plain_text(paper))


def caveats_screen(t: Tr, v: Verdict) -> list[str]:
    """The caveats and date notes relevant to these answers and this date, most important
    first; by mechanism, each said once."""
    blocks = [neutral_header(t) + "\n" + b(t.gettext("Caveats"))]
    said: set[str] = set()
    for heading, m in _sections(t, v):
        items = [c for c in [*m.notes, *m.caveats] if c.id not in said]
        said |= {c.id for c in items}
        if heading and items:
            blocks.append("━━━\n" + heading)
        blocks += ["• " + esc(c.text).replace("\n", "\n   ") for c in items]
    return pages(t, blocks)


def pages(t: Tr, blocks: list[str]) -> list[str]:
    """A detail screen as pages of one message each (a long list of grounds or caveats): every
    page starts with the neutral line, and the title block stays on the first."""
    head = neutral_header(t)
    first, rest = blocks[0], blocks[1:]
    title = first.removeprefix(head).lstrip("\n")
    limit = SCREEN_LIMIT - 196
    out = pack([title, *rest], header=head, limit=limit)
    if len(out) > 1:
        # As many pages, evened out: the smallest limit that needs no more of them, so the
        # last page is not left with a single item.
        # Never below the longest block with its header: no block is cut.
        low = min(limit, max(visible_length(f"{head}\n\n{block}") for block in [title, *rest]))
        high = limit
        while low < high:
            mid = (low + high) // 2
            if len(pack([title, *rest], header=head, limit=mid)) <= len(out):
                high = mid
            else:
                low = mid + 1
        out = pack([title, *rest], header=head, limit=low)
    return out or [first]


def _fit(blocks: list[str], sep: str = "\n\n") -> str:
    """One message: blocks as long as they fit Telegram's limit (the first part of `pack`)."""
    return pack(blocks, limit=SCREEN_LIMIT - 96, sep=sep)[0]


# --- help, guides and pages ----------------------------------------------------------------------


RESOURCE_KINDS: dict[str, str] = {
    "lawyers": N_("Lawyers"),
    "human_rights": N_("Human-rights help"),
    "already_mobilized": N_("Help for those already mobilized"),
    "state": N_("State channels"),
}


def help_screen(t: Tr, rs: RuleSet) -> str:
    """Get help: independent organisations first, grouped by what they do, each with how to
    reach it, its legal status in Russia with the date and a plain warning where contacting it
    carries risk; then the state's own channels."""
    lang = t.lang
    blocks = [neutral_header(t) + "\n" + b(t.gettext("Where to get help"))]
    groups: dict[str, list[str]] = {}
    for res in [*rs.independent, *rs.official]:
        lines = [b(res.title.get(lang)) + ". " + esc(res.text.get(lang))]
        contacts = res.contacts()
        if contacts:
            lines.append("   " + " · ".join(link(shown, url) if url else esc(shown)
                                           for shown, url in contacts))
        if res.legal_status is not None:
            lines.append("   " + i(res.legal_status.get(lang)))
        if res.risk and res.warning is not None:
            lines.append("   ⚠️ " + b(res.warning.get(lang)))
        lines.append("   " + i(t.gettext("Checked on {date}").format(
            date=res.checked.strftime("%d.%m.%Y"))))
        groups.setdefault(res.kind, []).append("\n".join(lines))
    for kind in ("lawyers", "human_rights", "already_mobilized", "state"):
        if kind in groups:
            blocks.append(b(t.gettext(RESOURCE_KINDS[kind])) + "\n" + "\n".join(
                "• " + entry for entry in groups[kind]))
    return _fit(blocks)


def guide_screen(t: Tr, rs: RuleSet, guide_id: str, as_of: dt.date,
                 mechanism: str = "unknown") -> str | None:
    """A guide from the rule base (guides.yaml), sections in force on `as_of` for the call-up
    `mechanism`; None when the rule base has no such guide."""
    try:
        guide = rs.guide(guide_id, as_of, mechanism)
    except KeyError:
        return None
    lang = t.lang
    blocks = [neutral_header(t) + "\n" + b(guide.title.get(lang))]
    for section in guide.sections:
        lines = [b(section.heading.get(lang))]
        lines += ["• " + esc(item.get(lang)) for item in section.items]
        lines += ["   " + citation(t, c) for c in section.cites(lang)]
        blocks.append("\n".join(lines))
    return _fit(blocks)


def guide_pages(t: Tr, rs: RuleSet, guide_id: str, as_of: dt.date,
                first: int = VERDICT_LIMIT) -> list[str] | None:
    """A guide whose first page fits one phone screen (at most `first` visible characters, its
    first sections whole) and the rest on further pages, one press away."""
    try:
        guide = rs.guide(guide_id, as_of)
    except KeyError:
        return None
    lang = t.lang
    head = neutral_header(t) + "\n" + b(guide.title.get(lang))
    blocks = []
    for section in guide.sections:
        lines = [b(section.heading.get(lang))]
        lines += ["• " + esc(item.get(lang)) for item in section.items]
        lines += ["   " + citation(t, c) for c in section.cites(lang)]
        blocks.append("\n".join(lines))
    opening = head
    taken = 0
    for block in blocks:
        candidate = opening + "\n\n" + block
        if visible_length(candidate) > first and taken:
            break
        opening, taken = candidate, taken + 1
    rest = blocks[taken:]
    more = head + " · " + esc(t.gettext("more"))
    return [opening, *(pack(rest, header=more, limit=SCREEN_LIMIT - 196) if rest else [])]


def called_up_pages(t: Tr, rs: RuleSet, as_of: dt.date) -> list[str]:
    """Already serving or mobilized: the first page on one phone screen, the details after."""
    return guide_pages(t, rs, "already_serving", as_of) or [called_up_text(t, rs, as_of)]


def called_up_text(t: Tr, rs: RuleSet, as_of: dt.date) -> str:
    """Already serving or mobilized: the guide of the rule base, or the short note below until
    the rule base has one."""
    guide = guide_screen(t, rs, "already_serving", as_of)
    if guide is not None:
        return guide
    return "\n".join([
        neutral_header(t), "", b(t.gettext("Someone already serving or mobilized")),
        esc(t.gettext("Under Decree No. 647 (points 4–5), a mobilized man serves under a "
                      "contract that runs until the end of the mobilization. He can be "
                      "discharged only on reaching the age limit, on being found unfit by "
                      "a military-medical commission, or on a court sentence of "
                      "imprisonment.")),
        "",
        esc(t.gettext("If the person was called up although a ground applied (age, health, "
                      "family, studies, reservation), complain in writing to the unit "
                      "commander, the military prosecutor's office or a court, and keep "
                      "copies. Discharge on such a complaint is rare.")),
        esc(t.gettext("To check which grounds applied on the day of the call-up, start the "
                      "questions with that date, e.g. /check 2022-10-10.")),
    ])


def summons_mechanism(v: Verdict) -> str:
    """The call-up a summons in hand most likely is, seen from a verdict: its most pressing
    mechanism ("unknown" when none concerns the person)."""
    shown = mechanisms(v)
    return shown[0].id if shown else "unknown"


def summons_text(t: Tr, rs: RuleSet, as_of: dt.date, mechanism: str = "unknown") -> str:
    """A summons in hand: the guide's sections for the call-up `mechanism` (a notice
    mechanism's id, or the verdict's, see summons_mechanism)."""
    guide = guide_screen(t, rs, "summons", as_of, mechanism)
    if guide is not None:
        return guide
    return "\n".join([
        neutral_header(t), "", b(t.gettext("A summons in hand")),
        "• " + esc(t.gettext("Read it: a summons names the voenkomat, the date, time and place "
                             "to report, and is signed and stamped.")),
        "• " + esc(t.gettext("Do not sign for a summons addressed to someone else.")),
        "• " + esc(t.gettext("If a ground applies, report with the documents and hand in a "
                             "written request citing it; keep a copy stamped as received.")),
        "• " + esc(t.gettext("Going to the voenkomat in person can end with a summons handed "
                             "over there; send applications and documents by registered post "
                             "with a list of contents instead.")),
    ])


def group_grounds(t: Tr, rs: RuleSet) -> list[str]:
    """Every ground in one line: title, outcome, its first citation."""
    blocks = [neutral_header(t) + "\n" + b(t.gettext("Grounds for exemption and deferral"))]
    for cg in rs.grounds:
        g = cg.ground
        cite = g.citations[0].label.get(t.lang)
        kind = ground_short(t, g.id, ground_outcome(g.outcome, cg.citations[t.lang]))
        blocks.append(f"• {b(g.title.get(t.lang))} — {esc(kind)} — {esc(cite)}")
    blocks.append(i(t.gettext("Rules version {version}. Each ground's conditions, documents and "
                              "caveats are in the private check.").format(version=rs.version)))
    return pack(blocks, sep="\n")


def page(t: Tr, which: str, rs: RuleSet, *, version: str, handles: Sequence[str],
         as_of: dt.date | None = None, mechanism: str = "unknown") -> str:
    if which == "help":
        return "\n".join([
            neutral_header(t), "",
            esc(t.gettext("/check — start the questions (answers stay in the buttons)")),
            esc(t.gettext("/check YYYY-MM-DD — check as of a past date, e.g. /check 2022-10-10 "
                          "to appeal a 2022 call-up")),
            esc(t.gettext("/language — choose Russian or English")),
            esc(t.gettext("/privacy — what is kept (nothing) and how to clean up this chat")),
            esc(t.gettext("/sources — the laws and decisions the answers rest on")),
            esc(t.gettext("/about — version and the official addresses of this bot")),
            "",
            esc(t.gettext("Use the buttons under the questions. “I don't know” is fine: the "
                          "answer will say what it depends on.")),
        ])
    if which == "privacy":
        return "\n".join([
            neutral_header(t), "", b(t.gettext("What the server keeps: no answers.")),
            esc(t.gettext("The server keeps no answers, no names and no list of who used the "
                          "bot; only counts with no one behind them (how many checks began, in "
                          "which language, and how many ended with each kind of result), until "
                          "it restarts.")),
            esc(t.gettext("Your answers travel inside the buttons of this chat, encrypted and "
                          "signed: the button data cannot be read or forged, and a button works "
                          "only in this chat.")),
            esc(t.gettext("But the messages you see stay in this chat's history until you "
                          "delete them: the questions, the “Check your answers” list and the "
                          "result show what you answered.")),
            "",
            b(t.gettext("To leave no trace on your phone:")),
            "☐ " + esc(t.gettext("Press “Delete this conversation” under the result, then "
                                 "delete the chat itself: hold it in the chat list and choose "
                                 "Delete. Do not tick “block bot”: that leaves a record.")),
            "☐ " + esc(t.gettext("Turn off message previews in notifications (Settings → "
                                 "Notifications).")),
            "☐ " + esc(t.gettext("Set a passcode in Telegram (Settings → Privacy and "
                                 "Security → Passcode).")),
            "☐ " + esc(t.gettext("Hide your phone number (Settings → Privacy and Security → "
                                 "Phone number → Nobody).")),
        ])
    if which == "sources":
        # Short names, by kind of source: the full titles of every act no longer fit a message.
        blocks = [neutral_header(t) + "\n" + b(t.gettext("The acts the answers rest on"))]
        for kind, heading in SOURCE_KINDS.items():
            entries = [link(a.short.get(t.lang), a.url) if a.url else esc(a.short.get(t.lang))
                       for a in sorted(rs.acts.values(), key=lambda a: a.date)
                       if a.label_kind == kind]
            if entries:
                blocks.append(b(t.gettext(heading)) + "\n" + "; ".join(entries) + ".")
        return _fit(blocks)
    if which == "about":
        lines = [neutral_header(t), "",
                 esc(t.gettext("exempt-bot {version} · rules version {rules}").format(
                     version=version, rules=rs.version)),
                 esc(t.gettext("Open source; answers come from a cited, dated rule base."))]
        if handles:
            lines.append(esc(t.gettext("Official addresses of this bot and its mirrors: "
                                       "{handles}").format(handles=", ".join(handles))))
        lines += ["", b(t.gettext("This bot never asks for documents, a phone number or "
                                  "money."))]
        return "\n".join(lines)
    day = as_of or today_in_moscow()
    if which == "called_up":
        return called_up_text(t, rs, day)
    if which == "get_help":
        return help_screen(t, rs)
    if which == "summons":
        return summons_text(t, rs, day, mechanism)
    return "\n".join([neutral_header(t), "", esc(t.gettext("Choose a language:"))])
