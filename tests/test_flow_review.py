"""Persona findings of December 2026 on the interview's navigation and the review (P-09, P-10,
P-11, P-20), driven through the flow as a person presses buttons, and once end to end through the
bot and the Bot API stand-in."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

import rules
from interview import flow, progress, render
from interview.html_text import to_plain
from interview.i18n import tr
from interview.views import Button, Screen, View
from tests.bot_harness import answer_until_review, bundled_rules, question_shown
from tests.botapi import BotAPIStandIn
from tests.test_bot_interview import label, persona
from tests.test_verdict_screen import finish, person

RS = bundled_rules()  # loaded once per process, shared by the modules
ENV = flow.Env(RS)
TODAY = rules.today_in_moscow()
PROGRESS = re.compile(r"(?:Question|Вопрос) (\d+) (?:of at most|· всего не больше) (\d+)")
ANSWERING = (Screen.ANSWER, Screen.DONT_KNOW, Screen.TOGGLE, Screen.CHECK_DONE)


def buttons(view: View) -> list[Button]:
    return [b for row in view.buttons for b in row if b.state is not None]


def press(view: View, label_: str) -> View:
    found = next((b for b in buttons(view) if b.label == label_), None)
    assert found is not None and found.state is not None, (label_, [b.label for b in
                                                                    buttons(view)])
    return flow.press(ENV, found.state)


def asked(view: View) -> str | None:
    """The question shown, or None (the review, the verdict...)."""
    state = next((b.state for b in buttons(view) if b.state and b.state.screen in ANSWERING),
                 None)
    q = flow.question_of(RS, state.question) if state else None
    return q.id if q else None


def progress_of(view: View) -> tuple[int, int]:
    found = PROGRESS.search(to_plain(view.texts[0]))
    assert found, view.texts[0][:200]
    return int(found[1]), int(found[2])


def is_review(view: View) -> bool:
    return any(b.nav == "see_result" for b in buttons(view))


def student(lang: str = "en") -> dict[str, str | None]:
    """The persona's full-time student of 19, not in the reserve."""
    lo, hi = next(b for b in RS.age_bands(TODAY) if b[0] <= 19 <= b[1])
    picks = {"sex": "male", "military_status": "not_in_reserve", "citizen": "citizen",
             "age": f"age_{lo}_{hi}", "fitness": "a", "conviction": "none",
             "student": "full_time", "student_programme": "accredited",
             "student_first_time": "first_time", "abroad": "in_russia",
             "children_under_16": "c0", "disabled_child": "no_disabled_child",
             "conscientious_objector": "not_objector"}
    return {qid: label(RS, qid, opt, lang) for qid, opt in picks.items()}


def pick_for(view: View, picks: Mapping[str, str | None], lang: str = "en") -> str:
    """The label to press on the question shown: its pick, "I don't know" for None, else "Done"
    on a checklist or the answer that says no."""
    t = tr(lang)
    qid = asked(view)
    assert qid is not None
    if qid in picks:
        pick = picks[qid]
        return t.gettext("I don't know") if pick is None else pick
    labels = [b.label for b in buttons(view) if b.kind == "answer"]
    done = t.gettext("✔ Done")
    if done in [b.label for b in buttons(view)]:
        return done
    return next(x for x in labels if x.lstrip("● ").startswith(("No", "Нет")))


def interview(picks: Mapping[str, str | None], lang: str = "en") -> tuple[View, dict[str, tuple[int, int]]]:
    """From the greeting to the review: each question answered with its pick ("✔ Done" where
    none is given, "I don't know" where the pick is None); the progress each question showed."""
    t = tr(lang)
    view = press(flow.press(ENV, flow.new_state(RS, lang, TODAY, 1, Screen.GREETING)),
                 t.gettext("▶ Start"))
    seen: dict[str, tuple[int, int]] = {}
    while (qid := asked(view)) is not None:
        seen[qid] = progress_of(view)
        view = press(view, pick_for(view, picks, lang))
    assert is_review(view)
    return view, seen


def change(review: View, qid: str) -> View:
    """The ✏️ of question `qid` on the review."""
    state = next(b.state for b in buttons(review) if b.nav == "see_result")
    assert state is not None
    path = RS.path(state.facts, TODAY, state.dont_know)
    view = press(review, f"✏️ {path.index(qid) + 1}")
    assert asked(view) == qid
    return view


# --- P-11: back from a question opened on the review --------------------------------------------


def test_back_from_a_question_opened_on_the_review_returns_to_the_review() -> None:
    review, _ = interview(student())
    view = change(review, "student")
    back = press(view, "◀ Back")
    assert is_review(back) and to_plain(back.texts[0]) == to_plain(review.texts[0])
    # In Russian too, and after switching the language on the question.
    view = press(change(review, "student"), "🌐 Русский")
    assert is_review(press(view, "◀ Назад"))


def test_ticks_on_a_checklist_opened_on_the_review_count_when_going_back() -> None:
    review, _ = interview(student())
    view = change(review, "conscription_exempt")
    first = next(b.label for b in buttons(view) if b.label.startswith("☐ "))
    view = press(view, first)
    back = press(view, "◀ Back")
    assert is_review(back)
    assert first[2:] in to_plain(back.texts[0])


def test_the_total_of_a_question_is_the_same_however_it_is_reached() -> None:
    """Question 8 said "of at most 20" on the way; opened from the review it said 18, then Back
    said 20 (the total grew on Back). Now it is counted from the earlier answers only."""
    review, seen = interview(student())
    view = change(review, "student")
    assert progress_of(view) == seen["student"]
    # Changed to "not studying", then back: the question shows what it showed on the way, and
    # the new question after it never says more.
    view = press(view, label(RS, "student", "none", "en"))
    after = progress_of(view)
    back = press(view, "◀ Back")
    assert asked(back) == "student" and progress_of(back) == seen["student"]
    assert after[1] <= seen["student"][1]
    # And once more back: the question before it, as it was on the way.
    assert progress_of(press(back, "◀ Back")) == seen["conviction"]


def test_the_same_answer_again_after_back_keeps_the_later_answers() -> None:
    t = tr("en")
    picks = student()
    view = press(flow.press(ENV, flow.new_state(RS, "en", TODAY, 1, Screen.GREETING)),
                 t.gettext("▶ Start"))
    while asked(view) != "student_first_time":
        view = press(view, pick_for(view, picks))
    on_the_way = progress_of(view)
    view = press(press(view, "◀ Back"), "◀ Back")
    assert asked(view) == "student"
    full_time = "● " + label(RS, "student", "full_time", "en")
    assert full_time in [b.label for b in buttons(view)]
    # The same answer again: on to where the person was; the programme is not asked again.
    view = press(view, full_time)
    assert asked(view) == "student_first_time" and progress_of(view) == on_the_way
    # From the review, ✏️ and the same answer: straight back to the review, nothing asked again.
    while asked(view) is not None:
        view = press(view, pick_for(view, picks))
    view = press(change(view, "student"), full_time)
    assert is_review(view)


# --- P-20: the review names what a checklist asked ------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_review_names_what_a_checklist_asked(lang: str) -> None:
    review, _ = interview(student(lang), lang)
    text = to_plain(review.texts[0])
    q = RS.question_by_id["conscription_exempt"]
    assert q.text.get(lang) not in text  # "Does any of this apply?" says nothing on its own
    assert q.review is not None and q.review.get(lang) in text
    assert ("scientific degree" if lang == "en" else "Учёная степень") in q.review.get(lang)


def test_every_checklist_has_a_short_review_text_in_both_languages() -> None:
    from rules.textcheck import REVIEW_MAX
    checklists = [q for q in RS.questions if q.kind == "checklist"]
    assert checklists
    for q in checklists:
        assert q.review is not None, q.id
        for lang in ("ru", "en"):
            assert 0 < len(q.review.get(lang)) <= REVIEW_MAX == 90, (q.id, lang)


def test_a_checklist_without_a_review_text_does_not_load(tmp_path: Path) -> None:
    from tests.test_rules_loader import load_error, mutate
    old = '    review:\n      ru: "Учёная степень'
    root, text = mutate(tmp_path, "questions.yaml", old, '    hidden:\n      ru: "Учёная степень')
    root.joinpath("questions.yaml").write_text(
        re.sub(r"    hidden:\n.*\n.*\n", "", text), encoding="utf-8")
    assert "a checklist needs a review text" in load_error(root)


def test_a_review_text_longer_than_90_characters_does_not_load(tmp_path: Path) -> None:
    from tests.test_rules_loader import load_error, mutate
    root, _ = mutate(tmp_path, "questions.yaml",
                     'en: "A scientific degree, or a father or brother who died in military '
                     'service?"', 'en: "' + "A scientific degree " * 5 + '?"')
    assert "more than 90 for a review text" in load_error(root)


# --- P-09: the greeting's counts --------------------------------------------------------------


def no_dont_know_walk(rng: random.Random, lang: str, day: dt.date) -> int:
    """Questions asked in one interview answered at random, never "I don't know"."""
    t = tr(lang)
    view = press(flow.press(ENV, flow.new_state(RS, lang, day, 1, Screen.GREETING)),
                 t.gettext("▶ Start"))
    asked_ = 0
    while asked(view) is not None:
        asked_ += 1
        answers = [b for b in buttons(view) if b.kind == "answer"
                   and b.label != t.gettext("I don't know") and b.label[:1] not in "☐☑"]
        answers += [b for b in buttons(view) if b.nav == "done"]
        view = flow.press(ENV, rng.choice(answers).state)  # type: ignore[arg-type]
    return asked_


@pytest.mark.parametrize("day", [TODAY, dt.date(2022, 10, 10)])
def test_the_greeting_gives_the_most_with_known_answers_and_with_i_dont_know(
        day: dt.date) -> None:
    known, most = progress.greeting_counts(RS, day)
    assert known < most == progress.interview_range(RS, day)[1]  # computed, not written in
    for lang, words in (("en", f"Button questions: at most {known} if the answers are known, "
                                f"up to {most} with “I don't know”"),
                        ("ru", f"Вопросов с кнопками: не больше {known}, если ответы известны, "
                               f"и до {most} с ответами «Не знаю»")):
        greeting = flow.press(ENV, flow.new_state(RS, lang, day, 1, Screen.GREETING))
        assert words in to_plain(greeting.texts[0])
        assert "2 to" not in to_plain(greeting.texts[0])
        # The first question's total is the greeting's "up to", never more.
        first = press(greeting, tr(lang).gettext("▶ Start"))
        assert progress_of(first) == (1, most)
    rng = random.Random(day.toordinal())
    assert max(no_dont_know_walk(rng, "en", day) for _ in range(60)) <= known


# --- P-10: the "I don't know" man -------------------------------------------------------------


def dont_know_man(lang: str = "en") -> View:
    return interview({"sex": label(RS, "sex", "male", lang)} | {
        q.id: None for q in RS.questions if q.dont_know and q.id != "sex"}, lang)[0]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_i_dont_know_man_s_review_puts_his_unknowns_on_one_line(lang: str) -> None:
    review = dont_know_man(lang)
    text = to_plain(review.texts[0])
    changes = [b for b in buttons(review) if b.kind == "change"]
    assert len(changes) >= 20  # each answer can still be changed
    line = f"2–{len(changes)} → " + tr(lang).gettext("I don't know")
    assert line in text.splitlines()
    assert text.count(tr(lang).gettext("I don't know")) == 1
    assert len(text) < 400, len(text)  # was about 1,800: several phone screens


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_ground_open_by_i_dont_know_alone_leads_his_verdict(lang: str) -> None:
    t = tr(lang)
    verdict = to_plain(press(dont_know_man(lang), t.gettext("✅ See the result")).texts[0])
    citizen = RS.ground_by_id["conscription_not_citizen"].ground.title.get(lang)
    assert citizen not in verdict
    assert t.gettext(render.BLIND_LINE) in verdict
    assert " — " + t.gettext("may apply") not in verdict  # nothing is put forward as likely


def test_a_ground_the_answers_bear_on_leads_one_open_by_i_dont_know_alone() -> None:
    """Citizenship and the programme unknown: full-time study (he answered he studies
    full-time) leads, not "Not a Russian citizen", which rests on the unknown alone."""
    picks = {**student(), "citizen": None, "student_programme": None}
    review, _ = interview(picks)
    verdict = to_plain(press(review, "✅ See the result").texts[0])
    study = RS.ground_by_id["conscription_student"].ground.title.get("en")
    citizen = RS.ground_by_id["conscription_not_citizen"].ground.title.get("en")
    assert f"• {study} — may apply" in verdict and f"• {citizen} — may apply" in verdict
    assert verdict.index(study) < verdict.index(citizen)
    # His two unknowns on the review: one line.
    assert "3, 9 → I don't know" in to_plain(review.texts[0]).splitlines()


# --- end to end: the bot and the Bot API stand-in -----------------------------------------------


@pytest.mark.asyncio
async def test_through_the_bot_the_review_names_the_checklists_and_back_returns_to_it(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/start")
    known, most = progress.greeting_counts(RS, TODAY)
    assert f"at most {known} if the answers are known, up to {most}" in p.text()
    await p.press("▶ Start")
    asked_ = await answer_until_review(p, RS, persona("en"), "en")
    review = p.text()
    assert "Does any of this apply?" not in review
    checklists = [RS.question_by_id[qid] for qid in asked_
                  if RS.question_by_id[qid].kind == "checklist"]
    assert checklists
    for q in checklists:
        assert q.review is not None and q.review.get("en") in review
        assert q.text.get("en") not in review
    # ✏️ on the review, then Back: the review again, not the question before.
    number = asked_.index("fitness") + 1
    await p.press(f"✏️ {number}")
    assert question_shown(RS, p.text(), "en") == "fitness"
    await p.press("◀ Back")
    assert p.text() == review
    # The same answer again keeps every later answer: straight back to the review.
    await p.press(f"✏️ {number}")
    await p.press("● " + label(RS, "fitness", "a", "en"))
    assert p.text() == review
    await finish(p, "en")


@pytest.mark.asyncio
async def test_through_the_bot_the_i_dont_know_man_sees_one_line_and_no_guess(
    api: BotAPIStandIn, bot: list[object]
) -> None:
    p = person(api, "en")
    await p.say("/check")
    dont_know = {q.id: "I don't know" for q in RS.questions if q.dont_know}
    asked_ = await answer_until_review(p, RS, dont_know | {"sex": label(RS, "sex", "male", "en")},
                                       "en")
    assert f"2–{len(asked_)} → I don't know" in p.text().splitlines()
    verdict = await finish(p, "en")
    assert tr("en").gettext(render.BLIND_LINE) in verdict
    assert "Not a Russian citizen" not in verdict
