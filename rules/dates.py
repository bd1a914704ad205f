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


# --- a summons posted in the register (127-FZ; 412-FZ) -------------------------------------------

SERVED_AFTER_DAYS = 7  # deemed served on the 7th day after posting in the register
RESTRICTIONS_AFTER_DAYS = 20  # restrictions when not reporting within 20 days of the reporting date
REPORT_WITHIN_DAYS = 30  # from 01.01.2026: the reporting date at most 30 days after posting
REPORT_LIMIT_FROM = dt.date(2026, 1, 1)
REGISTER_FROM = dt.date(2024, 11, 1)  # the register of summonses works from this day


def summons_dates(posted: dt.date, report: dt.date | None = None) -> dict[str, dt.date]:
    """The dates that follow a summons posted in the register on `posted`, by id:

    - `exit_ban_from`: leaving Russia is banned from the day of posting;
    - `deemed_served`: the summons counts as served on the 7th day after posting (at once when
      it reaches the Gosuslugi account, which the person knows better than we do);
    - `latest_report` (posted from 01.01.2026): the reporting date may be at most 30 days after
      posting (412-FZ);
    - `restrictions_from` (given the reporting date): driving, credit, property and business
      registration restrictions may follow from the 20th day after the reporting date when he did
      not report without a valid reason.

    Nothing before 01.11.2024, when the register started: ValueError."""
    if posted < REGISTER_FROM:
        raise ValueError(f"the register of summonses works from {REGISTER_FROM.isoformat()}")
    out = {"exit_ban_from": posted,
           "deemed_served": posted + dt.timedelta(days=SERVED_AFTER_DAYS)}
    if posted >= REPORT_LIMIT_FROM:
        out["latest_report"] = posted + dt.timedelta(days=REPORT_WITHIN_DAYS)
    if report is not None:
        if report < posted:
            raise ValueError("the reporting date is before the day of posting")
        out["restrictions_from"] = report + dt.timedelta(days=RESTRICTIONS_AFTER_DAYS)
    return out
