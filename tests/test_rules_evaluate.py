"""Evaluation (issue 2, sections 2-4 and 7): unknowns, `missing`, precedence, dated grounds and
notes, age limits, both languages, the verdict's JSON shape and citations."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest

import rules
from rules import STRENGTH, FactsError, RuleSet, Verdict
from rules.facts import BIRTH_KEYS, FACTS
from tests.factgen import with_birth

D = dt.date(2022, 10, 10)

BASE: dict[str, Any] = {
    "sex": "male",
    "birth_date": "1992-05-01",
    "citizen": True,
    "military_status": "reserve",
    "rank": "soldier",
    "fitness": "A",
    "conviction": "none",
    "student": "none",
    "student_program_ok": False,
    "student_programme": "unaccredited",
    "student_first_time": True,
    "children_under_16": 0,
    "raises_children_alone": False,
    "wife_pregnant_22w": False,
    "disabled_child": False,
    "cares_for_relative": False,
    "guardian_of_sibling": False,
    "mother_alone_with_4_under_8": False,
    "parliament_member": False,
    "reserved_by_employer": False,
    "sector": "none",
    "accredited_employer": False,
    "higher_education": False,
    "on_employer_list": False,
}

IT_LISTED = {"sector": "it", "accredited_employer": True, "higher_education": True,
             "on_employer_list": True}
DEFENSE_LISTED = {"sector": "defense_industry", "accredited_employer": True,
                  "on_employer_list": True}
STUDENT = {"student": "full_time", "student_programme": "accredited", "student_first_time": True}

CYRILLIC = re.compile("[А-Яа-яЁё]")


def complete(**changes: Any) -> dict[str, Any]:
    """The baseline man with every fact given, changed as asked (None = unknown)."""
    return {**BASE, **changes}


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return rules.load()


def ids(grounds: Any) -> list[str]:
    return sorted(g.id for g in grounds)


def strength(outcome: str) -> int:
    return STRENGTH[outcome]


# --- the examples that must hold -------------------------------------------------------------


def test_a_man_of_30_in_the_reserve_with_nothing_else_is_subject(rs: RuleSet) -> None:
    v = rs.evaluate(complete(), D)
    assert v.outcome == "subject"
    assert v.grounds == ()
    assert v.missing == ()


def test_category_d_makes_him_not_subject(rs: RuleSet) -> None:
    v = rs.evaluate(complete(fitness="D"), D)
    assert v.outcome == "not_subject"
    assert ids(v.applying) == ["unfit"]


def test_four_children_give_a_deferral(rs: RuleSet) -> None:
    v = rs.evaluate(complete(children_under_16=4), D)
    assert v.outcome == "deferral"
    assert "four_children" in ids(v.applying)


def test_a_listed_it_specialist_is_conditional(rs: RuleSet) -> None:
    v = rs.evaluate(complete(**IT_LISTED), D)
    assert v.outcome == "conditional"
    assert ids(v.applying) == ["it_telecom_media"]


def test_a_missing_fitness_leaves_him_undetermined_and_asks_for_it(rs: RuleSet) -> None:
    facts = complete()
    del facts["fitness"]
    v = rs.evaluate(facts, D)
    assert v.outcome == "undetermined"
    assert "fitness" in v.missing


# --- unknowns: applies, possible, ruled out --------------------------------------------------


def test_a_man_of_75_with_unknown_rank_is_past_every_limit(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date=None, age=75, rank=None), D)
    assert v.outcome == "not_subject"
    (ground,) = v.grounds
    assert (ground.id, ground.status, ground.needs) == ("age_limit", "applies", ())
    assert v.missing == ()


def test_a_man_of_75_of_unknown_sex_and_rank_is_past_every_limit(rs: RuleSet) -> None:
    v = rs.evaluate({"age": 75}, D)
    age = next(g for g in v.grounds if g.id == "age_limit")
    assert age.status == "applies"
    assert v.outcome == "not_subject"


def test_a_man_of_55_with_unknown_rank_is_possibly_past_the_limit(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date="1967-05-01", rank=None), D)
    assert v.outcome == "undetermined"
    (ground,) = v.grounds
    assert (ground.id, ground.status, ground.needs) == ("age_limit", "possible", ("rank",))
    assert v.missing == ("rank",)


def test_a_man_of_30_with_unknown_rank_has_the_age_ground_ruled_out(rs: RuleSet) -> None:
    v = rs.evaluate(complete(rank=None), D)
    assert v.outcome == "subject"
    assert v.grounds == ()
    assert v.missing == ()


def test_a_ground_on_two_unknown_facts_needs_both(rs: RuleSet) -> None:
    v = rs.evaluate(complete(student=None, student_program_ok=None, student_programme=None), D)
    (ground,) = v.grounds
    assert ground.id == "student"
    assert ground.status == "possible"
    assert ground.needs == ("student", "student_programme")
    assert v.missing == ("student", "student_programme")


def test_one_false_part_rules_a_ground_out_whatever_the_unknowns(rs: RuleSet) -> None:
    # IT deferral needs a degree: without one it is ruled out even with the list unknown.
    v = rs.evaluate(complete(sector="it", accredited_employer=None, on_employer_list=None), D)
    assert v.outcome == "subject"
    assert v.grounds == ()


def test_with_no_facts_every_ground_in_force_is_possible(rs: RuleSet) -> None:
    v = rs.evaluate({}, D)
    in_force = {
        cg.ground.id for cg in rs.by_mechanism["mobilization"]
        if (cg.ground.valid_from or D) <= D <= (cg.ground.valid_until or D)
    }
    assert v.outcome == "undetermined"
    assert ids(v.possible) == sorted(in_force)
    assert v.applying == ()


# --- missing ---------------------------------------------------------------------------------


def test_missing_is_sorted_and_without_duplicates(rs: RuleSet) -> None:
    v = rs.evaluate({}, D)
    assert list(v.missing) == sorted(set(v.missing))
    assert len(v.missing) > 5


def test_missing_is_empty_when_nothing_stronger_is_possible(rs: RuleSet) -> None:
    facts = {"fitness": "D"}  # every other fact unknown
    v = rs.evaluate(facts, D)
    assert v.outcome == "not_subject"
    assert v.possible  # weaker grounds stay possible ...
    assert v.missing == ()  # ... but none of them could raise the outcome


def test_missing_names_only_keys_of_stronger_possible_grounds(rs: RuleSet) -> None:
    # Conditional already: a disabled child (also conditional) cannot raise it, children can.
    v = rs.evaluate(complete(**IT_LISTED, disabled_child=None, children_under_16=None), D)
    assert v.outcome == "conditional"
    assert "disabled_child" in ids(v.possible)
    assert v.missing == ("children_under_16",)


def test_missing_equals_the_needs_of_the_possible_grounds_stronger_than_the_outcome(
    rs: RuleSet,
) -> None:
    for facts, day in random_fact_sets(200, seed=7):
        v = rs.evaluate(facts, day)
        needed = {k for g in v.possible if strength(g.outcome) > strength(v.outcome)
                  for k in g.needs}
        assert v.missing == tuple(sorted(needed)), (facts, day)


def test_no_unknown_fact_outside_missing_can_raise_the_outcome(rs: RuleSet) -> None:
    """Setting any single unknown fact not in `missing` never yields a stronger outcome."""
    checked = 0
    for facts, day in random_fact_sets(150, seed=11):
        v = rs.evaluate(facts, day)
        for key, spec in FACTS.items():
            if key in facts or key in v.missing or key in BIRTH_KEYS:
                continue
            for value in domain(spec):
                try:
                    w = rs.evaluate({**facts, key: value}, day)
                except FactsError:
                    continue  # a contradiction (e.g. raises_children_alone with 0 children)
                checked += 1
                assert strength(w.outcome) <= strength(v.outcome), (facts, day, key, value)
    assert checked > 1000


def test_a_key_in_missing_can_raise_the_outcome_for_single_fact_grounds(rs: RuleSet) -> None:
    v = rs.evaluate(complete(fitness=None), D)
    assert v.missing == ("fitness",)
    raised = {rs.evaluate(complete(fitness=f), D).outcome for f in FACTS["fitness"].values}
    assert raised == {"subject", "deferral", "not_subject"}


# --- precedence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        ({"fitness": "D", "reserved_by_employer": True, **IT_LISTED}, "not_subject"),
        ({"reserved_by_employer": True, **IT_LISTED}, "deferral"),
        ({"children_under_16": 3, **IT_LISTED}, "conditional"),
        ({"fitness": "G", "conviction": "grave_excluded"}, "not_subject"),
        ({"children_under_16": 4}, "deferral"),  # four_children beats fathers_of_three
    ],
)
def test_the_strongest_applying_ground_decides(
    rs: RuleSet, changes: dict[str, Any], outcome: str
) -> None:
    v = rs.evaluate(complete(**changes), D)
    assert v.outcome == outcome
    assert max(strength(g.outcome) for g in v.applying) == strength(outcome)
    assert len(v.applying) >= 2


def test_grounds_are_listed_strongest_first_and_applying_before_possible(rs: RuleSet) -> None:
    facts = complete(**IT_LISTED, reserved_by_employer=True, fitness=None, children_under_16=3,
                     disabled_child=None, conviction=None)
    v = rs.evaluate(facts, D)
    keys = [(-strength(g.outcome), g.status != "applies") for g in v.grounds]
    assert keys == sorted(keys)
    assert {g.outcome for g in v.grounds} == {"not_subject", "deferral", "conditional"}


def test_an_applying_weaker_ground_and_a_possible_stronger_one_give_the_weaker_outcome(
    rs: RuleSet,
) -> None:
    v = rs.evaluate(complete(**IT_LISTED, fitness=None), D)
    assert v.outcome == "conditional"
    assert ids(v.possible) == ["temporarily_unfit", "unfit"]
    assert v.missing == ("fitness",)


def test_undetermined_needs_a_possible_ground_and_subject_needs_none(rs: RuleSet) -> None:
    assert rs.evaluate(complete(citizen=None), D).outcome == "undetermined"
    assert rs.evaluate(complete(citizen=True), D).outcome == "subject"


# --- dates: grounds, notes and caveats ---------------------------------------------------------


def note_ids(v: Verdict) -> list[str]:
    return [n.id for n in v.notes]


def caveat_ids(v: Verdict) -> list[str]:
    return [c.id for c in v.caveats]


@pytest.mark.parametrize(
    ("ground", "changes", "first_day"),
    [
        ("student", STUDENT, dt.date(2022, 9, 21)),
        ("defense_industry", DEFENSE_LISTED, dt.date(2022, 9, 21)),
        ("women", {"sex": "female", "wife_pregnant_22w": None}, dt.date(2022, 10, 1)),
        ("under_investigation", {"conviction": "under_investigation"}, dt.date(2022, 10, 6)),
        ("excluded_conviction", {"conviction": "listed_minor"}, dt.date(2022, 11, 15)),
        ("it_lists_after_call_up", IT_LISTED, dt.date(2022, 10, 29)),
        ("finance", {**IT_LISTED, "sector": "finance"}, dt.date(2022, 9, 22)),
        ("it_telecom_media", IT_LISTED, dt.date(2022, 9, 23)),
        ("fathers_of_three", {"children_under_16": 3}, dt.date(2022, 10, 4)),
        ("disabled_child", {"disabled_child": True}, dt.date(2022, 10, 4)),
    ],
)
def test_a_dated_ground_applies_from_its_first_day_and_not_the_day_before(
    rs: RuleSet, ground: str, changes: dict[str, Any], first_day: dt.date
) -> None:
    facts = complete(**changes)
    before = rs.evaluate(facts, first_day - dt.timedelta(days=1))
    on = rs.evaluate(facts, first_day)
    assert ground not in ids(before.grounds)
    assert ground in ids(on.applying)


def test_the_old_grave_conviction_ground_ends_on_14_november_2022(rs: RuleSet) -> None:
    facts = complete(conviction="grave")
    assert ids(rs.evaluate(facts, dt.date(2022, 11, 14)).applying) == ["grave_conviction_old"]
    assert rs.evaluate(facts, dt.date(2022, 11, 15)).outcome == "subject"


def test_a_day_before_mobilization_carries_the_before_mobilization_note(rs: RuleSet) -> None:
    facts = complete(fitness="D")
    before = rs.evaluate(facts, dt.date(2022, 9, 20))
    assert before.outcome == "not_subject"  # statutory grounds still apply
    assert "before_mobilization" in note_ids(before)
    assert "before_mobilization" not in note_ids(rs.evaluate(facts, dt.date(2022, 9, 21)))


@pytest.mark.parametrize("outcome_changes", [{}, {"fitness": "D"}, {"children_under_16": 4},
                                             {"citizen": None}])
def test_the_call_up_status_caveat_shows_from_28_october_2022(
    rs: RuleSet, outcome_changes: dict[str, Any]
) -> None:
    facts = complete(**outcome_changes)
    assert "call_up_status" not in caveat_ids(rs.evaluate(facts, dt.date(2022, 10, 27)))
    assert "call_up_status" in caveat_ids(rs.evaluate(facts, dt.date(2022, 10, 28)))
    assert "call_up_status" in caveat_ids(rs.evaluate(facts, dt.date(2026, 1, 1)))


@pytest.mark.parametrize(
    ("ground", "changes", "signed"),
    [("student", STUDENT, dt.date(2022, 10, 5)),
     ("defense_industry", DEFENSE_LISTED, dt.date(2022, 9, 30))],
)
def test_a_retroactive_ground_carries_a_note_before_its_act_was_signed(
    rs: RuleSet, ground: str, changes: dict[str, Any], signed: dt.date
) -> None:
    facts = complete(**changes)
    note = f"{ground}_retroactive"
    early = rs.evaluate(facts, signed - dt.timedelta(days=1))
    assert ground in ids(early.applying)
    assert note in note_ids(early)
    assert note not in note_ids(rs.evaluate(facts, signed))
    # not in force at all before 21.09.2022: no ground, no note
    assert note not in note_ids(rs.evaluate(facts, dt.date(2022, 9, 20)))
    # without the ground there is no note
    assert note not in note_ids(rs.evaluate(complete(), signed - dt.timedelta(days=1)))


@pytest.mark.parametrize("outcome_changes", [{}, {"fitness": "D"}, {"children_under_16": 4}])
def test_every_verdict_carries_the_global_caveats(
    rs: RuleSet, outcome_changes: dict[str, Any]
) -> None:
    shown = caveat_ids(rs.evaluate(complete(**outcome_changes), D))
    for cid in ("not_legal_advice", "scope_2022", "vague_decree", "violations"):
        assert cid in shown


def test_deferral_not_automatic_shows_only_for_deferral_and_conditional(rs: RuleSet) -> None:
    def has(facts: dict[str, Any]) -> bool:
        return "deferral_not_automatic" in caveat_ids(rs.evaluate(facts, D))

    assert has(complete(children_under_16=4))
    assert has(complete(**IT_LISTED))
    assert not has(complete())
    assert not has(complete(fitness="D"))


def test_category_v_is_subject_with_the_low_priority_caveat(rs: RuleSet) -> None:
    v = rs.evaluate(complete(fitness="V"), D)
    assert v.outcome == "subject"
    assert "category_v" in caveat_ids(v)
    assert "category_v" not in caveat_ids(rs.evaluate(complete(fitness="A"), D))


def test_as_of_defaults_to_today_in_moscow(rs: RuleSet) -> None:
    v = rs.evaluate(complete())
    assert v.as_of in {rules.today_in_moscow().isoformat(),
                       (rules.today_in_moscow() - dt.timedelta(days=1)).isoformat()}
    assert rs.evaluate(complete(), D).as_of == "2022-10-10"


# --- advice ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "ground"),
    [
        ({**IT_LISTED, "on_employer_list": False}, "it_telecom_media"),
        ({**IT_LISTED, "higher_education": False}, "it_telecom_media"),
        ({**IT_LISTED, "sector": "finance", "on_employer_list": False}, "finance"),
        ({**DEFENSE_LISTED, "on_employer_list": False}, "defense_industry"),
        ({"student": "distance", "student_program_ok": True}, "student"),
    ],
)
def test_a_ruled_out_ground_with_advice_gives_the_advice(
    rs: RuleSet, changes: dict[str, Any], ground: str
) -> None:
    v = rs.evaluate(complete(**changes), D)
    assert v.outcome == "subject"
    assert [a.ground_id for a in v.advice] == [ground]
    assert v.advice[0].text


def test_no_advice_when_the_ground_applies_or_nothing_hints_at_it(rs: RuleSet) -> None:
    assert rs.evaluate(complete(**IT_LISTED), D).advice == ()
    assert rs.evaluate(complete(), D).advice == ()


# --- age limits --------------------------------------------------------------------------------


def age_status(rs: RuleSet, day: dt.date, **changes: Any) -> str | None:
    v = rs.evaluate(complete(**changes), day)
    found = [g.status for g in v.grounds if g.id == "age_limit"]
    return found[0] if found else None


def test_born_29_february_he_reaches_an_age_on_28_february_in_a_common_year(rs: RuleSet) -> None:
    born = {"birth_date": "1960-02-29", "rank": "senior_officer"}
    assert age_status(rs, dt.date(2025, 2, 27), **born) is None
    assert age_status(rs, dt.date(2025, 2, 28), **born) == "applies"


def test_born_29_february_he_reaches_an_age_on_29_february_in_a_leap_year(rs: RuleSet) -> None:
    born = {"birth_date": "1964-02-29", "rank": "junior_officer"}
    assert age_status(rs, dt.date(2024, 2, 29), **born) == "applies"


def test_born_29_february_he_is_not_yet_60_on_28_february_of_a_leap_year(rs: RuleSet) -> None:
    """Regression (rules/age.py latest_birth_reaching): on 28.02.2024 someone born 29.02.1964
    is still 59 (his birthday, 29.02.2024, exists); the engine used to count him as 60."""
    born = {"birth_date": "1964-02-29", "rank": "junior_officer"}
    assert age_status(rs, dt.date(2024, 2, 28), **born) is None


def test_born_28_february_in_a_leap_year_he_turns_on_28_february(rs: RuleSet) -> None:
    born = {"birth_date": "1964-02-28", "rank": "junior_officer"}
    assert age_status(rs, dt.date(2024, 2, 27), **born) is None
    assert age_status(rs, dt.date(2024, 2, 28), **born) == "applies"


def test_the_birth_year_alone_is_possible_and_asks_for_the_month(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date=None, birth_year=1972), D)
    assert v.outcome == "undetermined"
    (ground,) = v.grounds
    assert (ground.id, ground.status, ground.needs) == ("age_limit", "possible", ("birth_month",))
    assert v.missing == ("birth_month",)


def test_a_birth_year_and_month_that_straddle_the_day_ask_for_the_date(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date=None, birth_year=1972, birth_month=10), D)
    assert v.missing == ("birth_date",)


def test_an_age_that_straddles_a_birth_year_limit_asks_for_the_birth_year(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date=None, age=51), dt.date(2026, 11, 26))
    assert v.outcome == "undetermined"
    assert v.missing == ("birth_year",)
    born_1974 = rs.evaluate(complete(birth_date=None, birth_year=1974), dt.date(2026, 11, 26))
    born_1975 = rs.evaluate(complete(birth_date=None, birth_year=1975), dt.date(2026, 11, 26))
    assert (born_1974.outcome, born_1975.outcome) == ("not_subject", "subject")


def test_an_unknown_sex_at_an_age_between_the_limits_asks_for_the_sex(rs: RuleSet) -> None:
    v = rs.evaluate(complete(sex=None, wife_pregnant_22w=None, birth_date="1975-03-01"), D)
    age = next(g for g in v.grounds if g.id == "age_limit")
    assert (age.status, age.needs) == ("possible", ("sex",))


@pytest.mark.parametrize(
    ("rank", "limit"),
    [("soldier", 50), ("junior_officer", 60), ("senior_officer", 65), ("colonel", 65),
     ("higher_officer", 70)],
)
def test_before_2024_each_rank_reaches_its_limit_on_the_birthday(
    rs: RuleSet, rank: str, limit: int
) -> None:
    born = dt.date(1950, 6, 15)
    birthday = dt.date(1950 + limit, 6, 15)
    if birthday >= dt.date(2024, 1, 1):
        pytest.fail("keep the birthdays before 2024")
    assert age_status(rs, birthday - dt.timedelta(days=1), birth_date=born.isoformat(),
                      rank=rank) is None
    assert age_status(rs, birthday, birth_date=born.isoformat(), rank=rank) == "applies"


@pytest.mark.parametrize(("year", "limit"),
                         [(1973, 50), (1974, 51), (1975, 52), (1978, 55), (1985, 55)])
def test_a_soldiers_limit_from_2024_is_keyed_on_his_birth_year(
    rs: RuleSet, year: int, limit: int
) -> None:
    born = dt.date(year, 3, 10)
    birthday = dt.date(year + limit, 3, 10)
    assert age_status(rs, birthday - dt.timedelta(days=1), birth_date=born.isoformat()) is None
    assert age_status(rs, birthday, birth_date=born.isoformat()) == "applies"


@pytest.mark.parametrize("year", [1976, 1977])
def test_soldiers_born_1976_77_reach_no_limit_before_2028_and_55_after(
    rs: RuleSet, year: int
) -> None:
    born = dt.date(year, 3, 10).isoformat()
    assert age_status(rs, dt.date(year + 54, 3, 10), birth_date=born) is None
    assert age_status(rs, dt.date(year + 55, 3, 10), birth_date=born) == "applies"


def test_a_woman_reaches_45_as_a_soldier_and_50_as_an_officer(rs: RuleSet) -> None:
    woman = {"sex": "female", "wife_pregnant_22w": None, "birth_date": "1975-03-01"}
    day = dt.date(2022, 10, 10)  # she is 47
    assert age_status(rs, day, **woman) == "applies"
    assert age_status(rs, day, **woman, rank="junior_officer") is None


def test_the_age_ground_carries_the_interpretation_note(rs: RuleSet) -> None:
    v = rs.evaluate(complete(birth_date="1960-01-01"), D)
    (ground,) = v.applying
    assert ground.id == "age_limit"
    assert ground.note and "29" in ground.note


# --- languages -------------------------------------------------------------------------------


def test_every_ground_has_distinct_non_empty_texts_in_both_languages(rs: RuleSet) -> None:
    for cg in rs.grounds:
        g = cg.ground
        for field in ("title", "explanation", "todo"):
            text = getattr(g, field)
            assert text.ru.strip() and text.en.strip(), (g.id, field)
            assert text.ru != text.en, (g.id, field)
            assert CYRILLIC.search(text.ru), (g.id, field)
            assert not CYRILLIC.search(text.en), (g.id, field)


def test_every_caveat_and_note_has_texts_in_both_languages(rs: RuleSet) -> None:
    for item in [*rs.caveats, *rs.notes]:
        ru, en = item.texts["ru"].text, item.texts["en"].text
        assert ru and en and ru != en, item.id
        assert CYRILLIC.search(ru) and not CYRILLIC.search(en), item.id


def test_every_question_has_its_text_in_both_languages(rs: RuleSet) -> None:
    for q in rs.questions:
        assert q.text.ru != q.text.en, q.id
        assert CYRILLIC.search(q.text.ru) and not CYRILLIC.search(q.text.en), q.id
        for label in [o.label for o in q.options] + [i.label for i in q.items]:
            assert label.ru and label.en, q.id
            assert not CYRILLIC.search(label.en), q.id


def test_the_verdict_comes_in_the_language_asked(rs: RuleSet) -> None:
    facts = complete(fitness="D", children_under_16=4, **IT_LISTED)
    en = rs.evaluate(facts, dt.date(2022, 11, 1), lang="en")
    ru = rs.evaluate(facts, dt.date(2022, 11, 1), lang="ru")
    assert [g.id for g in en.grounds] == [g.id for g in ru.grounds]
    for g_en, g_ru in zip(en.grounds, ru.grounds, strict=True):
        for field in ("title", "explanation", "todo"):
            assert CYRILLIC.search(getattr(g_ru, field)), (g_ru.id, field)
            assert not CYRILLIC.search(getattr(g_en, field)), (g_en.id, field)
        for c_en, c_ru in zip(g_en.citations, g_ru.citations, strict=True):
            assert c_en.act == c_ru.act
            assert CYRILLIC.search(c_ru.label) and not CYRILLIC.search(c_en.label)
    assert [c.id for c in en.caveats] == [c.id for c in ru.caveats]
    for t_en, t_ru in zip(en.caveats, ru.caveats, strict=True):
        assert CYRILLIC.search(t_ru.text) and not CYRILLIC.search(t_en.text)


def test_an_unknown_language_is_refused(rs: RuleSet) -> None:
    with pytest.raises(ValueError, match="lang"):
        rs.evaluate(complete(), D, lang="de")


def test_english_is_the_default_language(rs: RuleSet) -> None:
    assert rs.evaluate(complete(fitness="D"), D) == rs.evaluate(complete(fitness="D"), D, "en")


# --- the verdict's JSON ----------------------------------------------------------------------

VERDICT_KEYS = {"outcome", "as_of", "rules_version", "grounds", "advice", "missing", "caveats",
                "notes", "steps", "basis", "skipped", "mechanisms"}
# Issue 14: each mechanism's answer.
MECHANISM_KEYS = {"id", "outcome", "concerns", "until", "grounds", "missing", "caveats", "notes",
                  "steps", "basis", "dates"}
# Section 7 lists id, outcome, status, title, explanation, todo, citations, needs; section 4 adds
# the confidence label and the interpretation note every ground carries.
GROUND_KEYS = {"id", "outcome", "status", "title", "explanation", "todo", "citations", "needs",
               "confidence", "note"}
CITATION_KEYS = {"act", "article", "point", "item", "label", "date", "url", "confidence",
                 "published", "confirmed", "kind", "by"}


def test_the_json_verdict_has_exactly_the_keys_of_the_contract(rs: RuleSet) -> None:
    facts = complete(**{**IT_LISTED, "on_employer_list": False}, fitness=None, children_under_16=4)
    data = rs.evaluate(facts, dt.date(2022, 11, 1)).model_dump(mode="json")
    assert set(data) == VERDICT_KEYS
    assert data["outcome"] == "deferral"
    assert data["as_of"] == "2022-11-01"
    assert data["rules_version"] == rs.version
    assert data["grounds"] and data["advice"] and data["missing"] and data["caveats"]
    for g in data["grounds"]:
        assert set(g) == GROUND_KEYS
        assert g["status"] in ("applies", "possible")
        assert isinstance(g["needs"], list)
        for c in g["citations"]:
            assert set(c) == CITATION_KEYS
    for a in data["advice"]:
        assert set(a) == {"ground_id", "text"}
    for c in [*data["caveats"], *data["notes"], *data["steps"]]:
        assert set(c) == {"id", "text"}
    assert data["missing"] == ["fitness"]
    assert set(data["mechanisms"]) == {"mobilization", "conscription", "assemblies"}
    for name, m in data["mechanisms"].items():
        assert set(m) == MECHANISM_KEYS
        assert m["id"] == name
        for g in m["grounds"]:
            assert set(g) == GROUND_KEYS
    mob = data["mechanisms"]["mobilization"]
    assert (mob["outcome"], mob["grounds"], mob["missing"]) == (
        data["outcome"], data["grounds"], data["missing"])


def test_the_json_verdict_holds_only_json_types(rs: RuleSet) -> None:
    import json

    data = rs.evaluate(complete(**STUDENT), dt.date(2022, 10, 1)).model_dump(mode="json")
    assert json.loads(json.dumps(data)) == data
    assert data["notes"] and data["notes"][0]["id"] == "student_retroactive"


# --- citations and confidence ------------------------------------------------------------------


def test_a_citation_is_confirmed_only_for_v_and_verbatim(rs: RuleSet) -> None:
    seen = set()
    for cg in rs.grounds:
        for lang in ("ru", "en"):
            outs = cg.citations[lang]
            assert len(outs) == len(cg.ground.citations)
            for src, out in zip(cg.ground.citations, outs, strict=True):
                assert out.confirmed == (src.confidence == "V" and src.verbatim), cg.ground.id
                assert out.published == rs.acts[src.act].published
                assert out.confidence == src.confidence
                seen.add(out.confirmed)
    assert seen == {True, False}  # the rule base has both kinds


def test_a_v_label_without_verbatim_is_not_confirmed(rs: RuleSet) -> None:
    v = rs.evaluate(complete(**{**IT_LISTED, "sector": "finance"}), D)
    (ground,) = v.applying
    by_act = {c.act: c for c in ground.citations}
    letter = by_act["bank-of-russia-letter-2022-10-25"]
    decision = by_act["mod-decision-315-2-3351"]
    # The garant.ru excerpt of the letter is truncated (review of November 2026): not verbatim.
    assert (letter.confidence, letter.confirmed) == ("V", False)
    assert (decision.confidence, decision.confirmed) == ("V", False)
    assert decision.published is False


def test_a_citation_without_its_own_date_or_url_takes_the_acts(rs: RuleSet) -> None:
    for cg in rs.grounds:
        for src, out in zip(cg.ground.citations, cg.citations["en"], strict=True):
            act = rs.acts[src.act]
            assert out.date == (src.date or act.date).isoformat()
            assert out.url == (src.url or act.url)


def test_a_grounds_confidence_is_its_weakest_element(rs: RuleSet) -> None:
    order = {"M": 0, "P": 1, "V": 2}
    for cg in rs.grounds:
        labels = [c.confidence for c in cg.ground.citations]
        if cg.ground.id in ("age_limit", "assemblies_retired"):
            labels += [p.confidence for p in rs.age_periods]
        if cg.ground.id in ("conscription_over_age", "conscription_under_age"):
            labels += [p.confidence for p in rs.conscription_periods]
        assert cg.confidence == min(labels, key=order.__getitem__), cg.ground.id
    # The 31-FZ preamble defines "citizens" (review of November 2026): no longer unsourced.
    assert rs.ground_by_id["not_citizen"].confidence == "V"
    assert rs.ground_by_id["disabled_child"].confidence == "P"
    assert rs.ground_by_id["age_limit"].confidence == "P"
    v = rs.evaluate(complete(fitness="D"), D)
    assert v.applying[0].confidence == rs.ground_by_id["unfit"].confidence


# --- bad facts through the rule set ------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "keys"),
    [
        ({"fitness": "Д"}, ["fitness"]),
        ({"children_under_16": "4"}, ["children_under_16"]),
        ({"citizen": 1}, ["citizen"]),
        ({"birth_date": "2022-13-01"}, ["birth_date"]),
        ({"children": 4}, ["children"]),
        ({"raises_children_alone": True, "children_under_16": 0},
         ["children_under_16", "raises_children_alone"]),
        ({"sex": "female", "wife_pregnant_22w": True}, ["sex", "wife_pregnant_22w"]),
    ],
)
def test_evaluate_refuses_bad_facts_naming_the_keys(
    rs: RuleSet, facts: dict[str, Any], keys: list[str]
) -> None:
    with pytest.raises(FactsError) as info:
        rs.evaluate(facts, D)
    assert sorted(info.value.keys) == keys


# --- helpers -------------------------------------------------------------------------------------


def domain(spec: Any) -> list[Any]:
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "enum":
        return list(spec.values)
    if spec.key == "children_under_16":
        return list(range(6))
    raise AssertionError(spec.key)


DAYS = [dt.date(2022, 9, 20), dt.date(2022, 9, 22), dt.date(2022, 10, 10), dt.date(2022, 11, 15),
        dt.date(2024, 6, 1), dt.date(2026, 11, 26), dt.date(2028, 3, 1)]


def random_fact_sets(n: int, seed: int) -> list[tuple[dict[str, Any], dt.date]]:
    """Random valid fact sets, each key missing with p = 0.3 (birth given as date, year or age)."""
    rng = random.Random(seed)
    out: list[tuple[dict[str, Any], dt.date]] = []
    while len(out) < n:
        day = rng.choice(DAYS)
        facts: dict[str, Any] = {}
        for key, spec in FACTS.items():
            if key in BIRTH_KEYS or rng.random() < 0.3:
                continue
            facts[key] = rng.choice(domain(spec))
        with_birth(facts, day, rng.randint(18, 80), rng)
        out.append((facts, day))
    return out
