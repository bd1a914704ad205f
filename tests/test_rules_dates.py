"""Dates the law fixes from a day: the alternative-service deadline at its boundaries. (A register
summons's dates, day 7, the 30-day limit and day 20, are the notice screen's: rules/data/notices.yaml
and its tests.)"""

from __future__ import annotations

import datetime as dt

import pytest

from rules.dates import alternative_service_deadline

D = dt.date


@pytest.mark.parametrize(("day", "deadline"), [
    (D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 3, 31), D(2026, 3, 31)),
    (D(2026, 4, 1), D(2026, 9, 30)), (D(2026, 9, 30), D(2026, 9, 30)),
    (D(2026, 10, 1), D(2027, 3, 31)), (D(2028, 12, 31), D(2029, 3, 31)),
])
def test_the_next_alternative_service_deadline(day: dt.date, deadline: dt.date) -> None:
    assert alternative_service_deadline(day) == deadline
