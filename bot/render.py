"""Text builders shared by Telegram and the terminal chat. Every string a person reads comes from
the gettext catalogs (msgids are the English text) or from the rule base; all dynamic text is
escaped here, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rules import RuleSet, Verdict
from rules.models import Question

from .html_text import b, esc, i, link, pack
from .i18n import Tr


def N_(message: str) -> str:
    return message


# Fact keys in words, for "this depends on …".
FACT_NAMES: dict[str, str] = {
    "sex": N_("sex"),
    "birth_date": N_("exact date of birth"),
    "birth_year": N_("year of birth"),
    "birth_month": N_("month of birth"),
    "age": N_("age"),
    "citizen": N_("citizenship"),
    "military_status": N_("military registration status"),
    "rank": N_("military rank"),
    "fitness": N_("fitness category"),
    "conviction": N_("criminal record"),
    "student": N_("form of study"),
    "student_program_ok": N_("whether the study programme qualifies"),
    "children_under_16": N_("number of children under 16"),
    "raises_children_alone": N_("whether he raises the children without their mother"),
    "wife_pregnant_22w": N_("whether his wife is at least 22 weeks pregnant"),
    "disabled_child": N_("whether he has a disabled child"),
    "cares_for_relative": N_("care of a relative"),
    "guardian_of_sibling": N_("guardianship of a brother or sister"),
    "mother_alone_with_4_under_8": N_("whether his mother raises four or more children under 8 alone"),
    "parliament_member": N_("being a senator or State Duma deputy"),
    "reserved_by_employer": N_("reservation by the employer"),
    "sector": N_("where he works"),
    "accredited_employer": N_("whether the employer qualifies"),
    "higher_education": N_("higher education"),
    "on_employer_list": N_("whether the employer has put him on its list"),
    "student_programme": N_("the study programme (accredited, postgraduate or neither)"),
    "student_first_time": N_("whether this level of education is his first"),
}

OUTCOME_HEADLINE: dict[str, str] = {
    "not_subject": N_("By the published law, he is not subject to call-up under this mobilization."),
    "deferral": N_("He has the right to a deferral (otsrochka) under a published act. "
                   "It is not automatic: he must claim it with documents."),
    "conditional": N_("Protection is possible, but it rests only on a non-public decision, an "
                      "employer list or an official statement, not on a published law. "
                      "A commission may ignore it."),
    "subject": N_("None of the grounds we know applies: he can be called up if call-up under "
                  "this decree is under way or resumes."),
    "undetermined": N_("We cannot tell yet: the answer depends on something not known."),
}


def neutral_header(t: Tr) -> str:
    # The first line is what a lock screen or chat list shows: nothing telling.
    return b(t.gettext("Reference note"))


def greeting(t: Tr) -> str:
    lines = [
        neutral_header(t),
        "",
        esc(t.gettext("This bot checks, in a few button questions, whether a person can be "
                      "called up under the partial mobilization of 21 September 2022 "
                      "(Decree No. 647), and which legal grounds protect them.")),
        "",
        esc(t.gettext("It does not cover regular conscription, electronic summonses or the "
                      "2026 “special training” of reservists. It is not legal advice.")),
        "",
        i(t.gettext("Nothing you answer is stored: the answers travel in the buttons of this "
                    "chat only. You can ask for yourself or for a relative.")),
    ]
    return "\n".join(lines)


def progress_line(t: Tr, number: int, remaining: int) -> str:
    text = t.ngettext(
        "Question {number} · about {remaining} more to go",
        "Question {number} · about {remaining} more to go",
        remaining,
    ).format(number=number, remaining=remaining)
    if remaining == 0:
        text = t.gettext("Question {number} · the last one").format(number=number)
    return esc(text)


def question(t: Tr, q: Question, number: int, remaining: int, checklist_note: bool) -> str:
    parts = [neutral_header(t), progress_line(t, number, remaining), "", b(q.text.get(t.lang))]
    if checklist_note:
        parts.append(i(t.gettext("Tick everything that applies, then press “Done”.")))
    if q.help:
        parts += ["", i(q.help.get(t.lang))]
    return "\n".join(parts)


def review(t: Tr, rows: Sequence[tuple[int, str, str]]) -> str:
    """rows: (number, question text, answer text)."""
    parts = [neutral_header(t), b(t.gettext("Check your answers")), ""]
    for number, text, answer in rows:
        parts.append(f"{number}. {esc(text)}\n    → {b(answer)}")
    parts += ["", esc(t.gettext("Press a numbered button to change that answer, or see the "
                                "result."))]
    return "\n".join(parts)


def _citation_line(t: Tr, c: object) -> str:
    from rules.verdict import CitationOut

    assert isinstance(c, CitationOut)
    label = link(c.label, c.url) if c.url else esc(c.label)
    bits = [label]
    if c.date:
        bits.append(esc(t.date(dt.date.fromisoformat(c.date))))
    if c.confirmed:
        bits.append(esc(t.gettext("confirmed in the published text")))
    else:
        bits.append(esc(t.gettext("reported, not confirmed in the published text")))
    if not c.published:
        bits.append(esc(t.gettext("the act itself is not public")))
    return "• " + " · ".join(bits)


def needs_words(t: Tr, keys: Sequence[str]) -> str:
    return ", ".join(t.gettext(FACT_NAMES.get(k, k)) for k in keys)


def verdict(t: Tr, v: Verdict, rs: RuleSet) -> list[str]:
    """The verdict as messages: the outcome first, each ground whole, then what to do, caveats,
    the date and rules version, and where to get human help."""
    head = [b(t.gettext(OUTCOME_HEADLINE[v.outcome]))]
    if v.outcome in ("conditional", "undetermined") and v.missing:
        head.append(esc(t.gettext("It depends on: {things}.").format(
            things=needs_words(t, v.missing))))
    blocks = ["\n".join(head)]
    applying = [g for g in v.grounds if g.status == "applies"]
    possible = [g for g in v.grounds if g.status == "possible"]
    if applying:
        blocks.append(b(t.gettext("Grounds that apply")))
    for g in applying:
        blocks.append(_ground_block(t, g))
    if possible:
        blocks.append(b(t.gettext("Grounds that may apply")))
    for g in possible:
        block = _ground_block(t, g)
        if g.needs:
            block += "\n" + i(t.gettext("Depends on: {things}.").format(
                things=needs_words(t, g.needs)))
        blocks.append(block)
    if v.advice:
        blocks.append(b(t.gettext("Worth checking")) + "\n" + "\n".join(
            "• " + esc(a.text) for a in v.advice))
    steps = [t.gettext("Gather the documents named above, originals and copies.")]
    if v.outcome in ("deferral", "conditional", "undetermined"):
        steps.append(t.gettext("A deferral is not automatic: the mobilization commission "
                               "(prizyvnaya komissiya po mobilizatsii) decides."))
    steps += [
        t.gettext("If a summons has come: report to the voenkomat or assembly point by its "
                  "date with the documents, hand in a written request citing the ground, and "
                  "keep a copy stamped as received."),
        t.gettext("Do not sign for someone else's summons."),
    ]
    if v.outcome in ("conditional", "undetermined"):
        steps.insert(0, t.gettext("Ask whoever can confirm what is still open: your employer's "
                                  "HR or military-registration desk, or the voenkomat."))
    blocks.append(b(t.gettext("What to do next")) + "\n" + "\n".join("☐ " + esc(s) for s in steps))
    if v.caveats or v.notes:
        lines = [b(t.gettext("Please keep in mind"))]
        # A caveat may hold its own list: indent it under its bullet.
        lines += ["• " + esc(n.text).replace("\n", "\n   ") for n in v.notes]
        lines += ["• " + esc(c.text).replace("\n", "\n   ") for c in v.caveats]
        blocks.append("\n".join(lines))
    blocks.append(resources(t, rs))
    blocks.append(i(t.gettext("As of {date} · rules version {version}").format(
        date=t.date(dt.date.fromisoformat(v.as_of)), version=v.rules_version)))
    # Every message of a split verdict starts with the neutral line (lock screens show it).
    return pack(blocks, header=neutral_header(t))


OUTCOME_SHORT: dict[str, str] = {
    "not_subject": N_("not subject to call-up"),
    "deferral": N_("deferral"),
    "conditional": N_("not a published law"),
}


def group_grounds(t: Tr, rs: RuleSet) -> list[str]:
    """Every ground in one line: title, outcome, its first citation."""
    blocks = [neutral_header(t) + "\n" + b(t.gettext("Grounds for exemption and deferral"))]
    for cg in rs.grounds:
        g = cg.ground
        cite = g.citations[0].label.get(t.lang)
        blocks.append(f"• {b(g.title.get(t.lang))} — {esc(t.gettext(OUTCOME_SHORT[g.outcome]))}"
                      f" — {esc(cite)}")
    blocks.append(i(t.gettext("Rules version {version}. Each ground's conditions, documents and "
                              "caveats are in the private check.").format(version=rs.version)))
    return pack(blocks, sep="\n")


def resources(t: Tr, rs: RuleSet) -> str:
    lines = [b(t.gettext("Where else to get help"))]
    for res in rs.resources():
        title = res.title.get(t.lang)
        line = "• " + (link(title, res.url) if res.url else b(title))
        lines.append(line + " — " + esc(res.text.get(t.lang)))
    return "\n".join(lines)


def _ground_block(t: Tr, g: object) -> str:
    from rules.verdict import GroundOut

    assert isinstance(g, GroundOut)
    kind = t.gettext(OUTCOME_SHORT[g.outcome])
    todo_label = t.gettext("What to do:")
    lines = [f"{b(g.title)} — {esc(kind)}", esc(g.explanation), f"{b(todo_label)} {esc(g.todo)}"]
    if g.note:
        lines.append(i(g.note))
    lines += [_citation_line(t, c) for c in g.citations]
    return "\n".join(lines)


def page(t: Tr, which: str, rs: RuleSet, *, version: str, handles: Sequence[str]) -> str:
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
            neutral_header(t), "", b(t.gettext("What is kept: nothing.")),
            esc(t.gettext("The server stores no answers, no names and no list of who used it. "
                          "Your answers travel inside the buttons of this chat: they are signed "
                          "so nobody can forge them, but not encrypted, so they stay in this "
                          "chat, just like the list of your answers on the review screen.")),
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
        lines = [neutral_header(t), "", b(t.gettext("The acts the answers rest on"))]
        for act in rs.acts.values():
            title = act.title.get(t.lang)
            entry = link(title, act.url) if act.url else esc(title)
            lines.append("• " + entry)
        return "\n".join(lines)
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
    if which == "called_up":
        return "\n".join([
            neutral_header(t), "", b(t.gettext("Someone already called up")),
            esc(t.gettext("Under Decree No. 647 (points 4–5), a mobilized man serves under a "
                          "contract that runs until the end of the mobilization. He can be "
                          "discharged only on reaching the age limit, on being found unfit by "
                          "a military-medical commission, or on a court sentence of "
                          "imprisonment.")),
            "",
            esc(t.gettext("If he was called up although a ground applied to him (age, health, "
                          "family, studies, reservation), complain in writing to the "
                          "mobilization commission and the prosecutor's office, or through "
                          "the state channels below, and keep copies. A court appeal is also "
                          "possible.")),
            esc(t.gettext("To check which grounds applied on the day, start the questions "
                          "with that date, e.g. /check 2022-10-10.")),
            "", resources(t, rs),
        ])
    return "\n".join([neutral_header(t), "", esc(t.gettext("Choose a language:"))])
