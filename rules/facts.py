"""The facts vocabulary: a fixed contract shared by the rule base, the engine and every front end.

The order of FACTS and of each enum's values is part of the contract: the bot's button codec keys on
it, so values may be appended but never reordered or removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .isodate import parse_day

FactKind = Literal["enum", "bool", "int", "date"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    key: str
    kind: FactKind
    values: tuple[str, ...] = ()  # enum values, in contract order
    minimum: int = 0
    maximum: int = 0


FACTS: dict[str, FactSpec] = {
    spec.key: spec
    for spec in (
        FactSpec("sex", "enum", ("male", "female")),
        FactSpec("birth_date", "date"),
        FactSpec("birth_year", "int", minimum=1850, maximum=2100),
        FactSpec("birth_month", "int", minimum=1, maximum=12),
        FactSpec("age", "int", minimum=0, maximum=130),
        FactSpec("citizen", "bool"),
        FactSpec(
            "military_status",
            "enum",
            ("reserve", "serving_conscript", "serving_contract", "not_in_reserve", "retired"),
        ),
        FactSpec(
            "rank",
            "enum",
            ("soldier", "junior_officer", "senior_officer", "colonel", "higher_officer"),
        ),
        FactSpec("fitness", "enum", ("A", "B", "V", "G", "D")),
        # grave: grave or especially grave, not on the 421-FZ list; grave_excluded: on the list and
        # grave or especially grave; listed_minor: on the list, minor or medium gravity (appended:
        # since 15.11.2022 the list bars call-up whatever the gravity).
        FactSpec("conviction", "enum",
                 ("none", "grave", "grave_excluded", "under_investigation", "listed_minor")),
        FactSpec("student", "enum", ("none", "full_time", "evening", "distance")),
        FactSpec("student_program_ok", "bool"),
        FactSpec("children_under_16", "int", minimum=0, maximum=100),
        FactSpec("raises_children_alone", "bool"),
        FactSpec("wife_pregnant_22w", "bool"),
        FactSpec("disabled_child", "bool"),
        FactSpec("cares_for_relative", "bool"),
        FactSpec("guardian_of_sibling", "bool"),
        FactSpec("mother_alone_with_4_under_8", "bool"),
        FactSpec("parliament_member", "bool"),
        FactSpec("reserved_by_employer", "bool"),
        FactSpec(
            "sector",
            "enum",
            ("none", "it", "telecom", "media", "finance", "defense_industry", "other"),
        ),
        FactSpec("accredited_employer", "bool"),
        FactSpec("higher_education", "bool"),
        FactSpec("on_employer_list", "bool"),
        # Decree 664 as amended by 712 (issue 8): accreditation is required of the p.1(a)
        # programmes only; postgraduate study (p.1(b)) has no accreditation condition; every
        # item needs the level to be obtained for the first time. These two replace the asking of
        # `student_program_ok`, which stays valid input (see LEGACY_IMPLIES).
        FactSpec("student_programme", "enum", ("accredited", "postgraduate", "unaccredited")),
        FactSpec("student_first_time", "bool"),
        # Issue 14: conscription and assemblies. Military service goes against his beliefs or
        # religion, or he belongs to a small indigenous people (113-FZ Art. 2).
        FactSpec("conscientious_objector", "bool"),
        # Lives permanently abroad: "deregistered" from the military register on leaving, or
        # still "registered"; "no": lives in Russia.
        FactSpec("abroad", "enum", ("no", "deregistered", "registered")),
        # A reservist's contract to stay in the mobilization human reserve (e.g. BARS).
        FactSpec("reserve_contract", "bool"),
        # 53-FZ Art. 23 exemptions from conscription: a scientific degree (candidate or doctor of
        # sciences); a father or brother who died in military service or at assemblies.
        FactSpec("academic_degree", "bool"),
        FactSpec("relative_died_in_service", "bool"),
    )
}

# Old keys that are still accepted and what a value of theirs says in today's vocabulary: an
# old client's `student_program_ok: true` meant "state-accredited and the first time". `false`
# meant "not both" and says nothing definite, so it implies nothing.
LEGACY_IMPLIES: dict[tuple[str, str | bool | int], dict[str, str | bool | int]] = {
    ("student_program_ok", True): {"student_programme": "accredited", "student_first_time": True},
}

# key -> (exact Python type, the values that are valid without further checks). A bool is not an
# int here (True == 1), which is why the exact type is checked.
_FAST: dict[str, tuple[type, frozenset[object] | range]] = {}
for _spec in FACTS.values():
    if _spec.kind == "enum":
        _FAST[_spec.key] = (str, frozenset(_spec.values))
    elif _spec.kind == "bool":
        _FAST[_spec.key] = (bool, frozenset((True, False)))
    elif _spec.kind == "int":
        _FAST[_spec.key] = (int, range(_spec.minimum, _spec.maximum + 1))

# Every valid (fact, value) as a field of one int, so a cache keyed by a set of answers holds
# an int, not a tuple of pairs (a tenth of the memory: the planner's caches are the bot's
# largest). Dates are not coded; answers holding one are keyed by their sorted pairs.
_CODE: dict[tuple[str, object], int] = {}
_shift = 0
for _spec in FACTS.values():
    if _spec.kind in ("enum", "bool", "int"):
        _values: list[object] = (list(_spec.values) if _spec.kind == "enum" else
                                 [False, True] if _spec.kind == "bool" else
                                 list(range(_spec.minimum, _spec.maximum + 1)))
        for _n, _value in enumerate(_values, 1):
            _CODE[(_spec.key, _value)] = _n << _shift
        _shift += len(_values).bit_length()


def facts_key(facts: Mapping[str, FactValue]) -> int | tuple[tuple[str, FactValue], ...]:
    """An exact dictionary key for a set of valid answers (exact types: validate_facts's)."""
    try:
        return sum(_CODE[item] for item in facts.items())
    except KeyError:
        return tuple(sorted(facts.items()))


# Keys that describe when he was born; the age-limit condition reads them together.
BIRTH_KEYS = ("birth_date", "birth_year", "birth_month", "age")

FactValue = str | bool | int
Facts = dict[str, FactValue]


class FactsError(ValueError):
    """Bad facts: names the offending key(s) in `keys`."""

    def __init__(self, keys: list[str], message: str) -> None:
        super().__init__(message)
        self.keys = keys


def check_value(spec: FactSpec, value: Any) -> FactValue:
    key = spec.key
    if spec.kind == "bool":
        if type(value) is not bool:
            raise FactsError([key], f"{key}: expected true or false, got {value!r}")
        return value
    if spec.kind == "int":
        if type(value) is not int:
            raise FactsError([key], f"{key}: expected an integer, got {value!r}")
        if not spec.minimum <= value <= spec.maximum:
            raise FactsError(
                [key], f"{key}: {value} is outside {spec.minimum}..{spec.maximum}"
            )
        return value
    if spec.kind == "enum":
        if type(value) is not str or value not in spec.values:
            allowed = ", ".join(spec.values)
            raise FactsError([key], f"{key}: expected one of {allowed}, got {value!r}")
        return value
    # date
    if type(value) is not str or len(value) != 10:
        raise FactsError([key], f"{key}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        parse_day(value)  # not fromisoformat alone: it also reads week dates (2022-W40-1)
    except ValueError:
        raise FactsError([key], f"{key}: {value!r} is not a valid date YYYY-MM-DD") from None
    return value


def validate_facts(raw: Mapping[str, Any], as_of: dt.date | None = None) -> Facts:
    """Check types and contradictions strictly; drop nulls (null means unknown)."""
    facts: Facts = {}
    fast = _FAST
    for key, value in raw.items():
        # The common case in one lookup: the exact type and allowed values of a valid value.
        known = fast.get(key)
        if known is not None and type(value) is known[0] and value in known[1]:
            facts[key] = raw[key]  # (`value` as typed: the exact-type test narrowed it to object)
        elif value is None:
            if key not in FACTS:
                raise FactsError([key], f"{key}: unknown fact")
        elif key not in FACTS:
            raise FactsError([key], f"{key}: unknown fact")
        else:
            facts[key] = check_value(FACTS[key], value)  # raises with the precise reason
    if "student_program_ok" in facts:
        _apply_legacy(facts)
    _check_contradictions(facts, as_of)
    return facts


def _apply_legacy(facts: Facts) -> None:
    """Fill today's keys from an old key; a today's key given alongside wins."""
    for (key, value), implied in LEGACY_IMPLIES.items():
        if facts.get(key) is value:
            for new_key, new_value in implied.items():
                facts.setdefault(new_key, new_value)


def _check_contradictions(facts: Facts, as_of: dt.date | None) -> None:
    if facts.get("raises_children_alone") is True and facts.get("children_under_16") == 0:
        raise FactsError(
            ["children_under_16", "raises_children_alone"],
            "raises_children_alone: true contradicts children_under_16: 0",
        )
    if facts.get("wife_pregnant_22w") is not None and facts.get("sex") == "female":
        raise FactsError(
            ["sex", "wife_pregnant_22w"], "wife_pregnant_22w does not apply to a woman"
        )
    if "birth_month" in facts and "birth_year" not in facts and "birth_date" not in facts:
        raise FactsError(["birth_month"], "birth_month needs birth_year")
    born = facts.get("birth_date")
    if isinstance(born, str):
        day = dt.date.fromisoformat(born)
        if facts.get("birth_year", day.year) != day.year:
            raise FactsError(["birth_date", "birth_year"], "birth_year contradicts birth_date")
        if facts.get("birth_month", day.month) != day.month:
            raise FactsError(["birth_date", "birth_month"], "birth_month contradicts birth_date")
        if as_of is not None and day > as_of:
            raise FactsError(["birth_date"], "birth_date is after the as-of date")
    if facts.get("reserve_contract") is True and facts.get("military_status") not in (
            None, "reserve"):
        raise FactsError(["military_status", "reserve_contract"],
                         "reserve_contract: true needs military_status: reserve")
    year = facts.get("birth_year")
    if isinstance(year, int) and as_of is not None and year > as_of.year:
        raise FactsError(["birth_year"], "birth_year is after the as-of date")
