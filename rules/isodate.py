"""Dates from outside (the CLI's --as-of, facts' birth_date): YYYY-MM-DD only, in a sane range.

`date.fromisoformat` also takes ISO week dates (2022-W40-1) and compact forms, and year 1 makes
age arithmetic fail far from the input; the person typing it deserves a message instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> dt.date:
    """The date `text` names; ValueError with a message a person can act on."""
    if not _DAY.fullmatch(text):
        raise ValueError(f"not a date YYYY-MM-DD: {text[:40]!r}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"no such day: {text!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{text} is outside {EARLIEST.isoformat()}..{LATEST.isoformat()}")
    return day


def window_edges(windows: Iterable[tuple[dt.date | None, dt.date | None]], first: dt.date
                 ) -> list[dt.date]:
    """One day inside every distinct combination of the (from, until) windows in force: `first`,
    each start, and the day after each end, in order."""
    days = {first}
    for start, until in windows:
        if start:
            days.add(start)
        if until:
            days.add(until + dt.timedelta(days=1))
    return sorted(days)
