"""Issue 14: conscription and assemblies beside mobilization. The invariants the mobilization
verdict keeps hold for every mechanism, and the interview asks what changes any of them."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

import rules
from rules import STRENGTH, FactsError, RuleSet
from rules.facts import BIRTH_KEYS, FACTS
from rules.models import MECHANISMS
from tests.factgen import with_birth

TODAY = dt.date(2026, 12, 4)
DAYS = [dt.date(2022, 3, 28), dt.date(2022, 10, 10), dt.date(2023, 12, 31), dt.date(2024, 1, 1),
        dt.date(2025, 11, 4), dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1),
        TODAY, dt.date(2028, 6, 1)]
CONSCRIPT = {"sex": "male", "citizen": True, "military_status": "not_in_reserve"}
COMPLETE_CONSCRIPT = {**CONSCRIPT, "abroad": "no", "fitness": "A", "conviction": "none",
                      "student": "none", "children_under_16": 0, "disabled_child": False,
                      "wife_pregnant_22w": False, "cares_for_relative": False,
                      "guardian_of_sibling": False, "parliament_member": False, "sector": "none",
                      "academic_degree": False, "relative_died_in_service": False,
                      "conscientious_objector": False}
RESERVIST = {"sex": "male", "citizen": True, "military_status": "reserve", "rank": "soldier"}


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return rules.load()


def domain(key: str) -> list[Any]:
    spec = FACTS[key]
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "enum":
        return list(spec.values)
    if key == "children_under_16":
        return list(range(5))
    raise AssertionError(key)


def random_facts(n: int, seed: int) -> list[tuple[dict[str, Any], dt.date]]:
    """Valid fact sets, each key missing with p = 0.4; the birth given as date, year or age,
    mostly of conscription or reserve age."""
    rng = random.Random(seed)
    out: list[tuple[dict[str, Any], dt.date]] = []
    for _ in range(n):
        day = rng.choice(DAYS)
        facts: dict[str, Any] = {k: rng.choice(domain(k)) for k in FACTS
                                 if k not in BIRTH_KEYS and k != "student_program_ok"
                                 and rng.random() > 0.4}
        age = rng.choice([rng.randint(15, 32), rng.randint(15, 70)])
        with_birth(facts, day, age, rng)
        out.append((facts, day))
    return out


def test_every_verdict_has_the_three_mechanisms_and_mobilization_repeats_the_verdict(
        rs: RuleSet) -> None:
    for facts, day in random_facts(150, seed=3):
        v = rs.evaluate(facts, day)
        assert tuple(v.mechanisms) == MECHANISMS
        mob = v.mechanisms["mobilization"]
        assert (mob.outcome, mob.grounds, mob.missing, mob.caveats, mob.steps, mob.basis) == (
            v.outcome, v.grounds, v.missing, v.caveats, v.steps, v.basis)
        assert mob.concerns is True and mob.until is None and mob.dates == ()


def test_each_mechanisms_missing_is_the_needs_of_its_stronger_possible_grounds(
        rs: RuleSet) -> None:
    for facts, day in random_facts(300, seed=5):
        v = rs.evaluate(facts, day)
        for m in v.mechanisms.values():
            needed = {k for g in m.possible if STRENGTH[g.outcome] > STRENGTH[m.outcome]
                      for k in g.needs}
            assert m.missing == tuple(sorted(needed)), (m.id, facts, day)


def test_no_unknown_fact_outside_a_mechanisms_missing_can_raise_its_outcome(rs: RuleSet) -> None:
    checked = 0
    for facts, day in random_facts(120, seed=11):
        v = rs.evaluate(facts, day)
        for key in FACTS:
            if key in facts or key in BIRTH_KEYS or key == "student_program_ok":
                continue
            for value in domain(key):
                try:
                    w = rs.evaluate({**facts, key: value}, day)
                except FactsError:
                    continue
                for name, m in v.mechanisms.items():
                    if key in m.missing:
                        continue
                    checked += 1
                    after = w.mechanisms[name].outcome
                    assert STRENGTH[after] <= STRENGTH[m.outcome], (name, facts, day, key, value)
    assert checked > 3000


def test_a_mechanism_that_does_not_concern_the_person_is_not_subject(rs: RuleSet) -> None:
    seen = 0
    for facts, day in random_facts(300, seed=13):
        for m in rs.evaluate(facts, day).mechanisms.values():
            if not m.concerns:
                seen += 1
                assert m.outcome == "not_subject" and m.until is None and m.dates == ()
                assert any(g.status == "applies" for g in m.grounds)
    assert seen > 100


def test_until_is_the_last_day_of_conscription_age(rs: RuleSet) -> None:
    """The day after `until` he is past conscription age; on `until` he is not."""
    rng = random.Random(17)
    checked = 0
    for _ in range(200):
        day = rng.choice(DAYS)
        born = day - dt.timedelta(days=rng.randint(18 * 365 + 5, 30 * 365))
        facts = {**COMPLETE_CONSCRIPT, "birth_date": born.isoformat()}
        m = rs.evaluate(facts, day).mechanisms["conscription"]
        if m.outcome != "subject":
            continue
        assert m.until is not None
        last = dt.date.fromisoformat(m.until)
        if last >= dt.date(2028, 12, 31):
            continue
        checked += 1
        assert "conscription_over_age" not in [
            g.id for g in rs.evaluate(facts, last).mechanisms["conscription"].applying]
        after = rs.evaluate(facts, last + dt.timedelta(days=1)).mechanisms["conscription"]
        assert [g.id for g in after.applying] == ["conscription_over_age"], (born, last)
    assert checked > 30


# --- the interview -------------------------------------------------------------------------


def walk(rs: RuleSet, answers: dict[str, Any], day: dt.date = TODAY) -> tuple[list[str], Any]:
    """The questions asked when each is answered from `answers` (a question whose facts are not
    in `answers` ends the walk); returns the question ids and the verdict."""
    facts: dict[str, Any] = {}
    asked: list[str] = []
    while (q := rs.next_question(facts, day)) is not None and len(asked) < 40:
        asked.append(q.id)
        if not all(k in answers for k in q.facts):
            break
        facts.update({k: answers[k] for k in q.facts})
    return asked, rs.evaluate(facts, day)


def test_a_conscript_is_asked_what_decides_conscription_and_told_so(rs: RuleSet) -> None:
    answers = {**CONSCRIPT, "age": 19, "abroad": "no", "fitness": "A", "conviction": "none",
               "student": "none", "children_under_16": 0, "raises_children_alone": False,
               "wife_pregnant_22w": False, "disabled_child": False, "cares_for_relative": False,
               "guardian_of_sibling": False, "mother_alone_with_4_under_8": False,
               "parliament_member": False, "sector": "none", "academic_degree": False,
               "relative_died_in_service": False, "conscientious_objector": True}
    asked, v = walk(rs, answers)
    assert asked[:3] == ["sex", "military_status", "citizen"]
    assert {"abroad", "age", "fitness", "conscription_exempt", "conscientious_objector"} <= set(
        asked)
    assert "rank" not in asked and "reserve_contract" not in asked  # not a reservist
    assert v.outcome == "not_subject"  # mobilization: not in the reserve
    cons = v.mechanisms["conscription"]
    assert (cons.outcome, cons.concerns) == ("conditional", True)
    assert [g.id for g in cons.applying] == ["alternative_service"]
    assert cons.dates[0].date == "2027-03-31"
    assert v.mechanisms["assemblies"].concerns is False


def test_a_woman_is_never_asked_the_conscription_questions(rs: RuleSet) -> None:
    answers = {"sex": "female", "military_status": "reserve", "citizen": True, "age": 30,
               "rank": "soldier", "fitness": "A", "conviction": "none",
               "reserved_by_employer": False, "student": "none", "children_under_16": 0,
               "disabled_child": False, "cares_for_relative": False,
               "guardian_of_sibling": False, "mother_alone_with_4_under_8": False,
               "parliament_member": False, "sector": "none", "reserve_contract": False}
    asked, v = walk(rs, answers)
    assert not {"abroad", "conscription_exempt", "conscientious_objector"} & set(asked)
    assert v.mechanisms["conscription"].concerns is False


def test_a_reservist_with_three_children_is_asked_about_a_reserve_contract(rs: RuleSet) -> None:
    answers = {**RESERVIST, "age": 35, "fitness": "A", "conviction": "none",
               "reserved_by_employer": False, "student": "none", "children_under_16": 3,
               "raises_children_alone": False, "wife_pregnant_22w": False,
               "disabled_child": False, "cares_for_relative": False,
               "guardian_of_sibling": False, "mother_alone_with_4_under_8": False,
               "parliament_member": False, "sector": "none", "reserve_contract": True}
    asked, v = walk(rs, answers)
    assert "reserve_contract" in asked
    assert "conscientious_objector" not in asked  # conscription does not concern a reservist
    asm = v.mechanisms["assemblies"]
    assert asm.outcome == "subject" and asm.concerns is True
    assert "special_assemblies_contract" in [c.id for c in asm.caveats]


def test_the_man_abroad_is_told_he_stays_in_the_reserve(rs: RuleSet) -> None:
    """Issue 14 item 5: the help must not tell a man abroad that he left the reserve."""
    q = rs.question_by_id["military_status"]
    assert q.help is not None
    for lang in ("ru", "en"):
        text = q.help.get(lang)
        assert "abroad" not in text or "does not take anyone out of the reserve" in text
    assert "не выводит из запаса" in q.help.ru
    v = rs.evaluate({**RESERVIST, "age": 35, "abroad": "deregistered"}, TODAY)
    assert v.outcome != "not_subject"  # no exemption from mobilization


def test_an_assembly_summons_reaches_only_reservists(rs: RuleSet) -> None:
    for status in FACTS["military_status"].values:
        m = rs.evaluate({**RESERVIST, "military_status": status, "age": 35}, TODAY)
        assert m.mechanisms["assemblies"].concerns == (status == "reserve"), status


def test_a_conscripts_steps_say_what_to_do_and_never_send_him_to_the_voenkomat(
        rs: RuleSet) -> None:
    v = rs.evaluate(COMPLETE_CONSCRIPT | {"birth_date": "2005-01-01"}, TODAY, lang="ru")
    cons = v.mechanisms["conscription"]
    assert cons.outcome == "subject"
    assert [s.id for s in cons.steps] == ["conscription_watch_register"]
    before = rs.evaluate(COMPLETE_CONSCRIPT | {"birth_date": "2005-01-01"}, dt.date(2024, 10, 31))
    assert before.mechanisms["conscription"].steps == ()  # no register of summonses yet
    student = rs.evaluate(CONSCRIPT | {"birth_date": "2005-01-01", "student": "full_time"}, TODAY)
    assert "conscription_study_certificate" in [s.id for s in student.mechanisms[
        "conscription"].steps]
    for m in v.mechanisms.values():
        for step in m.steps:
            assert "уточн" not in step.text  # never "go and clarify"
