"""Dates the law fixes from a day: the alternative-service deadline and a register summons's dates
(day 7, the 30-day limit from 2026, day 20 after the reporting date), at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.dates import alternative_service_deadline, summons_dates

D = dt.date


@pytest.mark.parametrize(("day", "deadline"), [
    (D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 3, 31), D(2026, 3, 31)),
    (D(2026, 4, 1), D(2026, 9, 30)), (D(2026, 9, 30), D(2026, 9, 30)),
    (D(2026, 10, 1), D(2027, 3, 31)), (D(2028, 12, 31), D(2029, 3, 31)),
])
def test_the_next_alternative_service_deadline(day: dt.date, deadline: dt.date) -> None:
    assert alternative_service_deadline(day) == deadline


def test_a_summons_posted_counts_as_served_on_day_7_and_bans_exit_at_once() -> None:
    got = summons_dates(D(2025, 12, 25))
    assert got == {"exit_ban_from": D(2025, 12, 25), "deemed_served": D(2026, 1, 1)}


def test_from_2026_the_reporting_date_is_at_most_30_days_after_posting() -> None:
    assert "latest_report" not in summons_dates(D(2025, 12, 31))
    assert summons_dates(D(2026, 1, 1))["latest_report"] == D(2026, 1, 31)
    assert summons_dates(D(2026, 2, 27))["latest_report"] == D(2026, 3, 29)


def test_restrictions_follow_from_day_20_after_the_reporting_date() -> None:
    got = summons_dates(D(2026, 3, 1), report=D(2026, 3, 20))
    assert got["restrictions_from"] == D(2026, 4, 9)
    assert got["deemed_served"] == D(2026, 3, 8)


def test_impossible_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="2024-11-01"):
        summons_dates(D(2024, 10, 31))
    with pytest.raises(ValueError, match="before the day of posting"):
        summons_dates(D(2026, 3, 1), report=D(2026, 2, 28))
