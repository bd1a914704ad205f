"""Dates the law fixes relative to the as-of day (Ground.deadline rules)."""

from __future__ import annotations

import datetime as dt


def alternative_service_deadline(day: dt.date) -> dt.date:
    """The last day to apply for alternative civilian service that is still ahead on `day`.

    113-FZ Art. 11 p.1: the application is filed "до 1 апреля" for the October-December call-up
    of the same year and "до 1 октября" for the April-June call-up of the next year; "до" read as
    "before", the last days are 31 March and 30 September."""
    for month, last in ((3, 31), (9, 30)):
        deadline = dt.date(day.year, month, last)
        if day <= deadline:
            return deadline
    return dt.date(day.year + 1, 3, 31)


RULES = {"alternative_service": alternative_service_deadline}
