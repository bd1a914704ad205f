"""Random valid fact sets for the engine's property tests: how a birth is given, and the facts
the contract forbids together removed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any


def with_birth(facts: dict[str, Any], day: dt.date, age: int, rng: random.Random) -> dict[str, Any]:
    """`facts` with the birth as an age, a year or a date (or not at all), and without the facts
    that cannot go with the others (a woman's pregnant wife, a man with no children raising them
    alone, a reserve contract outside the reserve)."""
    birth = rng.random()
    if birth < 0.3:
        facts["age"] = age
    elif birth < 0.6:
        facts["birth_year"] = day.year - age
    elif birth < 0.9:
        facts["birth_date"] = (day - dt.timedelta(days=365 * age + rng.randint(0, 364))).isoformat()
    if facts.get("sex") == "female":
        facts.pop("wife_pregnant_22w", None)
    if facts.get("children_under_16") == 0:
        facts.pop("raises_children_alone", None)
    if facts.get("military_status") not in (None, "reserve"):
        facts.pop("reserve_contract", None)
    return facts
