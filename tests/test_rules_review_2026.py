"""The legal review of November 2026 (issue 8), where a rule-base YAML test cannot say it: the
planner walked at random never asks a woman a father-only question; the 2022 sector lists carry a
lower confidence once the call-up ended; an old client's student key keeps its meaning; a
serviceman is never "past the reserve age limit"; every sourced citation says when it was seen."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

import rules
from tests.bot_harness import bundled_rules

RS = bundled_rules()  # loaded once per process, shared by the modules
FATHER_ONLY = {"raises_children_alone", "wife_pregnant_22w", "disabled_child"}
DAYS = [dt.date(2022, 9, 21), dt.date(2022, 10, 10), dt.date(2022, 11, 20), dt.date(2024, 6, 1),
        dt.date(2026, 11, 29), dt.date(2028, 3, 1)]


def random_answer(q: rules.Question, facts: dict[str, Any], day: dt.date,
                  rng: random.Random) -> dict[str, Any] | None:
    """One answer a front end offers, chosen at random (None = "I don't know")."""
    if q.dont_know and rng.random() < 0.15:
        return None
    if q.kind == "checklist":
        return {item.fact: rng.random() < 0.3 for item in q.items}
    choices = RS.choices(q, facts, day, "en")
    return dict(rng.choice(choices).set)


@pytest.mark.parametrize("day", DAYS)
def test_the_planner_never_asks_a_woman_a_father_only_question(day: dt.date) -> None:
    rng = random.Random(f"women-{day}")
    asked_anything = set()
    for _ in range(400):
        facts: dict[str, Any] = {"sex": "female"}
        dont_know: set[str] = set()
        for _step in range(40):
            q = RS.next_question(facts, day, frozenset(dont_know))
            if q is None:
                break
            asked_anything.add(q.id)
            assert not set(q.facts) & FATHER_ONLY, f"asked a woman {q.id} on {day}"
            answer = random_answer(q, facts, day, rng)
            if answer is None:
                dont_know |= set(q.facts)
            else:
                facts.update(answer)
        verdict = RS.evaluate(facts, day)
        assert not {g.id for g in verdict.grounds} & {"raises_children_alone",
                                                      "three_children_pregnant_wife",
                                                      "disabled_child", "fathers_of_three"}
    # The walks reach the family questions, so the check above could fail.
    assert "children_under_16" in asked_anything


def test_a_man_is_still_asked_the_fathers_questions() -> None:
    day = dt.date(2022, 10, 10)
    facts = {"sex": "male", "military_status": "reserve", "citizen": True, "age": 30,
             "rank": "soldier", "fitness": "A", "conviction": "none",
             "reserved_by_employer": False, "student": "none", "children_under_16": 1}
    q = RS.next_question(facts, day)
    assert q is not None and q.id == "raises_children_alone"


def test_the_2022_sector_lists_lose_confidence_after_the_call_up_ended() -> None:
    during = RS.ground_by_id["it_telecom_media"]
    after = RS.ground_by_id["it_lists_after_call_up"]
    assert during.confidence == "V" and after.confidence == "P"
    assert RS.ground_by_id["finance_lists_after_call_up"].confidence == "P"
    listed = {"sex": "male", "sector": "it", "accredited_employer": True,
              "higher_education": True, "on_employer_list": True}
    caveats = {c.id for c in RS.evaluate(listed, dt.date(2026, 11, 29)).caveats}
    assert "sector_lists_2022" in caveats
    caveats = {c.id for c in RS.evaluate(listed, dt.date(2022, 10, 10)).caveats}
    assert "sector_lists_2022" not in caveats


def test_an_old_student_program_ok_keeps_its_meaning() -> None:
    base = {"sex": "male", "military_status": "reserve", "student": "full_time"}
    day = dt.date(2022, 10, 10)
    old = RS.evaluate({**base, "student_program_ok": True}, day)
    new = RS.evaluate({**base, "student_programme": "accredited", "student_first_time": True}, day)
    assert [g.id for g in old.applying] == [g.id for g in new.applying] == ["student"]
    # Today's key, when given, wins over the old one.
    both = {**base, "student_program_ok": True, "student_first_time": False}
    assert rules.validate_facts(both)["student_first_time"] is False
    assert "student" not in {g.id for g in RS.evaluate(both, day).grounds}


@pytest.mark.parametrize("born", ["1940-01-01", "1960-05-01", "1975-06-01"])
def test_a_serviceman_is_never_past_the_reserve_age_limit(born: str) -> None:
    for day in DAYS:
        v = RS.evaluate({"sex": "male", "birth_date": born, "rank": "soldier",
                         "military_status": "serving_contract"}, day)
        assert "age_limit" not in {g.id for g in v.grounds}
        assert [g.id for g in v.applying] == ["already_serving"]


def test_every_sourced_citation_says_when_it_was_seen() -> None:
    for cg in RS.grounds:
        for cite in cg.ground.citations:
            if cite.source:
                assert cite.seen is not None, (cg.ground.id, cite.act)
    for act_id, act in RS.acts.items():
        if act.url_verified:
            assert act.url, act_id


def test_the_list_of_acts_fits_one_telegram_message() -> None:
    # The bot's /sources page names every act (by its short name, grouped by kind of source) in
    # one message: nothing may be cut off by the message limit.
    from interview import render
    from interview.html_text import to_plain, visible_length
    from interview.i18n import tr

    for lang in ("ru", "en"):
        text = render.page(tr(lang), "sources", RS, version="", handles=())
        assert visible_length(text) <= render.SCREEN_LIMIT - 96, (lang, visible_length(text))
        shown = to_plain(text)
        for act_id, act in RS.acts.items():
            assert act.short.get(lang) in shown, (lang, act_id)


def test_a_valid_reason_not_to_appear_is_what_53_fz_art_7_lists() -> None:
    """53-FZ Art. 7 p.2 lists illness or injury with loss of working capacity, a close relative's
    grave condition or funeral, force majeure; anything else (a business trip) counts only if the
    commission or a court accepts it, so the step must not offer it as a valid reason."""
    step = next(s for s in RS.steps if s.id == "assemblies_valid_reason")
    for lang, art, trip, only_if in (("ru", "ст. 7 Закона № 53-ФЗ", "командировк", "могут не"),
                                     ("en", "53-FZ Art. 7", "business trip", "only if")):
        text = step.texts[lang].text
        assert art in text
        listed = text[text.index(art):text.index(")")]  # the reasons the law lists
        assert trip not in listed, text
        assert only_if in text[text.index(trip):], text  # named only as what may be refused
