"""The facts contract (issue 2, section 1): strict JSON types, unknown keys, bad dates and
contradictions are errors that name the offending key(s)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import rules
from rules import FACTS, FactsError, validate_facts

AS_OF = dt.date(2022, 10, 10)

# A valid value of every fact, as JSON would give it.
VALID: dict[str, Any] = {
    "sex": "male",
    "birth_date": "1992-05-01",
    "birth_year": 1992,
    "birth_month": 5,
    "age": 30,
    "citizen": True,
    "military_status": "reserve",
    "rank": "soldier",
    "fitness": "A",
    "conviction": "none",
    "student": "none",
    "student_program_ok": False,
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
    "student_programme": "accredited",
    "student_first_time": False,
    "conscientious_objector": False,
    "abroad": "no",
    "reserve_contract": False,
    "academic_degree": False,
    "relative_died_in_service": False,
}

# Values of the wrong JSON type (or outside the domain) for each kind of fact.
BAD_BY_KIND: dict[str, list[Any]] = {
    "bool": [1, 0, "true", "yes", [True], 1.0],
    "int": [True, False, "3", 3.0, [3]],
    "enum": ["nonsense", 1, True, ["male"]],
    "date": ["2022-13-01", "2022-02-30", "1992-5-1", "01.05.1992", 19920501,
             dt.date(1992, 5, 1), "1992-05-01T00:00:00"],
}

ENUM_WRONG_CASE = {
    "sex": "Male",
    "military_status": "RESERVE",
    "rank": "Soldier",
    "fitness": "d",
    "conviction": "None",
    "student": "FULL_TIME",
    "sector": "IT",
}

OUT_OF_RANGE = {
    "birth_month": [0, 13],
    "children_under_16": [-1],
    "age": [-1, 131],
}


def test_the_contract_lists_exactly_the_keys_of_the_issue() -> None:
    assert list(FACTS) == list(VALID)


def test_a_complete_valid_fact_set_passes_unchanged() -> None:
    assert validate_facts(VALID, AS_OF) == VALID


def test_null_means_unknown_and_is_dropped() -> None:
    facts = dict.fromkeys(FACTS)
    assert validate_facts(facts, AS_OF) == {}


@pytest.mark.parametrize(
    ("key", "value"),
    [(key, bad) for key, spec in FACTS.items() for bad in BAD_BY_KIND[spec.kind]],
    ids=lambda v: repr(v),
)
def test_a_value_of_the_wrong_type_is_an_error_naming_the_key(key: str, value: Any) -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({**VALID, key: value}, AS_OF)
    assert info.value.keys == [key]
    assert key in str(info.value)


@pytest.mark.parametrize(("key", "value"), sorted(ENUM_WRONG_CASE.items()))
def test_enum_values_are_case_sensitive(key: str, value: str) -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({key: value}, AS_OF)
    assert info.value.keys == [key]


@pytest.mark.parametrize(
    ("key", "value"), [(k, v) for k, vs in OUT_OF_RANGE.items() for v in vs]
)
def test_an_integer_outside_its_range_is_an_error(key: str, value: int) -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({key: value}, AS_OF)
    assert info.value.keys == [key]


def test_an_unknown_key_is_an_error_naming_it() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({**VALID, "children": 4}, AS_OF)
    assert info.value.keys == ["children"]
    assert "children" in str(info.value)


def test_a_misspelt_key_is_not_silently_ignored() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"Fitness": "D"}, AS_OF)
    assert info.value.keys == ["Fitness"]


def test_raising_children_alone_with_no_children_is_a_contradiction() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({**VALID, "raises_children_alone": True, "children_under_16": 0}, AS_OF)
    assert sorted(info.value.keys) == ["children_under_16", "raises_children_alone"]


def test_raising_children_alone_with_unknown_children_is_accepted() -> None:
    facts = {"sex": "male", "raises_children_alone": True}
    assert validate_facts(facts, AS_OF) == facts


def test_raising_children_alone_with_children_is_accepted() -> None:
    facts = {**VALID, "raises_children_alone": True, "children_under_16": 1}
    assert validate_facts(facts, AS_OF)["raises_children_alone"] is True


def test_a_pregnant_wife_for_a_woman_is_a_contradiction() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({**VALID, "sex": "female", "wife_pregnant_22w": True}, AS_OF)
    assert sorted(info.value.keys) == ["sex", "wife_pregnant_22w"]


def test_a_pregnant_wife_with_unknown_sex_is_accepted() -> None:
    assert validate_facts({"wife_pregnant_22w": True}, AS_OF) == {"wife_pregnant_22w": True}


def test_a_birth_year_that_contradicts_the_birth_date_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_date": "1992-05-01", "birth_year": 1993}, AS_OF)
    assert sorted(info.value.keys) == ["birth_date", "birth_year"]


def test_a_birth_month_that_contradicts_the_birth_date_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_date": "1992-05-01", "birth_month": 6}, AS_OF)
    assert sorted(info.value.keys) == ["birth_date", "birth_month"]


def test_a_birth_month_without_a_year_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_month": 6}, AS_OF)
    assert info.value.keys == ["birth_month"]


def test_a_birth_date_after_the_as_of_day_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_date": "2022-10-11"}, AS_OF)
    assert info.value.keys == ["birth_date"]
    # the same date is fine as of a later day
    assert validate_facts({"birth_date": "2022-10-11"}, dt.date(2022, 10, 11))


def test_a_birth_year_after_the_as_of_year_is_an_error() -> None:
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_year": 2023}, AS_OF)
    assert info.value.keys == ["birth_year"]


def test_a_29_february_birth_date_is_valid_only_in_a_leap_year() -> None:
    assert validate_facts({"birth_date": "1972-02-29"}, AS_OF)
    with pytest.raises(FactsError) as info:
        validate_facts({"birth_date": "1973-02-29"}, AS_OF)
    assert info.value.keys == ["birth_date"]


def test_facts_error_is_a_value_error_exported_by_the_package() -> None:
    assert issubclass(rules.FactsError, ValueError)
    assert rules.validate_facts is validate_facts
