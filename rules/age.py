"""Reserve age limits: when a reservist is past his limit on a given day, even with partial birth data.

The limits are dated data (age_limits.yaml). A reservist who reached the limit in force at the time
was moved to retirement and stays retired when a later law raises it, so he is past the limit on day D
when, for some period starting on or before D, he reached that period's limit by the period's end (or
D if earlier). For each (sex, rank, day) this gives a set of birth dates, kept as merged intervals; a
person whose birth date is only known to lie in [lo, hi] then applies, is possible or is ruled out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from .facts import FACTS, Facts
from .models import AgeLimitPeriod, BirthYearLimit, ConscriptionAgePeriod

MIN_BIRTH = dt.date(1850, 1, 1)
MAX_AGE = 130
SEXES: tuple[str, ...] = FACTS["sex"].values
RANKS: tuple[str, ...] = FACTS["rank"].values
ONE_DAY = dt.timedelta(days=1)

Interval = tuple[dt.date, dt.date]

FALSE, UNKNOWN, TRUE = 0, 1, 2


def anniversary(born: dt.date, years: int) -> dt.date:
    """The day he turns `years`; born on 29 February, he turns it on 28 February in other years."""
    year = born.year + years
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return born.replace(year=year)


def latest_birth_reaching(day: dt.date, years: int) -> dt.date:
    """The latest birth date of someone who has turned `years` on or before `day`."""
    year = day.year - years
    if day.month == 2 and day.day == 29:
        return dt.date(year, 2, 29) if calendar.isleap(year) else dt.date(year, 2, 28)
    if day.month == 2 and day.day == 28 and calendar.isleap(year) and not calendar.isleap(day.year):
        # Born on 29 February, he turns `years` on 28 February of a common year.
        return dt.date(year, 2, 29)
    return day.replace(year=year)


def births_of_age(age: int, day: dt.date) -> Interval:
    """Birth dates of someone exactly `age` full years old on `day`."""
    return latest_birth_reaching(day, age + 1) + ONE_DAY, latest_birth_reaching(day, age)


def birth_interval(facts: Facts, as_of: dt.date) -> tuple[Interval, str | None]:
    """What the facts say about the birth date, and the fact key that would narrow it next."""
    born = facts.get("birth_date")
    if isinstance(born, str):
        day = dt.date.fromisoformat(born)
        return (day, day), None
    year = facts.get("birth_year")
    if isinstance(year, int):
        month = facts.get("birth_month")
        if isinstance(month, int):
            last = calendar.monthrange(year, month)[1]
            return (dt.date(year, month, 1), dt.date(year, month, last)), "birth_date"
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)), "birth_month"
    age = facts.get("age")
    if isinstance(age, int):
        return births_of_age(age, as_of), "birth_year"
    return (MIN_BIRTH, as_of), "age"


def _merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + ONE_DAY:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


class AgeLimits:
    """The dated table, queried for the set of birth dates past the limit on a day."""

    def __init__(self, periods: list[AgeLimitPeriod],
                 conscription: list[ConscriptionAgePeriod] | None = None) -> None:
        self.periods = periods
        # Conscription age travels with the reserve limits: one object for every age question.
        self.conscription = ConscriptionAges(conscription or [])
        self.retired_births = lru_cache(maxsize=4096)(self._retired_births)
        self._tables: dict[dt.date, dict[tuple[str, str], tuple[Interval, ...]]] = {}
        self._bands: dict[dt.date, tuple[tuple[int, int], ...]] = {}

    def limit_entries(self, period: AgeLimitPeriod, sex: str, rank: str) -> list[BirthYearLimit]:
        value = (period.male if sex == "male" else period.female)[rank]
        if isinstance(value, int):
            return [BirthYearLimit(limit=value)]
        return value

    def _retired_births(self, sex: str, rank: str, day: dt.date) -> tuple[Interval, ...]:
        found: list[Interval] = []
        for period in self.periods:
            if period.valid_from is not None and period.valid_from > day:
                continue
            end = day if period.valid_until is None else min(period.valid_until, day)
            for entry in self.limit_entries(period, sex, rank):
                lo = dt.date(entry.born_from, 1, 1) if entry.born_from else MIN_BIRTH
                hi = latest_birth_reaching(end, entry.limit)
                if entry.born_until is not None:
                    hi = min(hi, dt.date(entry.born_until, 12, 31))
                if lo <= hi:
                    found.append((lo, hi))
        return _merge(found)

    def status(self, sex: str, rank: str, day: dt.date, births: Interval) -> int:
        return _status(self.retired_births(sex, rank, day), births)

    def _table(self, day: dt.date) -> dict[tuple[str, str], tuple[Interval, ...]]:
        """Every (sex, rank)'s retired birth dates on `day`, cached per day: the hot path."""
        table = self._tables.get(day)
        if table is None:
            if len(self._tables) > 4096:
                self._tables.clear()
            table = self._tables[day] = {
                (s, r): self._retired_births(s, r, day) for s in SEXES for r in RANKS
            }
        return table

    def evaluate(self, facts: Facts, day: dt.date,
                 born: tuple[Interval, str | None] | None = None) -> tuple[int, tuple[str, ...]]:
        """Status of "past the age limit" for the facts, and the unknown keys deciding it."""
        if facts.get("military_status") == "serving_contract":
            # Reserve limits (53-FZ Art. 53) govern reservists; a serviceman's limits are those
            # of service (Art. 49; during mobilization 269-FZ): a discharge matter, not call-up.
            return FALSE, ()
        births, narrower = born or birth_interval(facts, day)
        sex = facts.get("sex")
        rank = facts.get("rank")
        table = self._table(day)
        if isinstance(sex, str) and isinstance(rank, str):  # the common, fast case
            status = _status(table[(sex, rank)], births)
            if status != UNKNOWN:
                return status, ()
            return UNKNOWN, (narrower,) if narrower else ()
        sexes = (sex,) if isinstance(sex, str) else SEXES
        ranks = (rank,) if isinstance(rank, str) else RANKS
        results = {(s, r): _status(table[(s, r)], births) for s in sexes for r in ranks}
        values = set(results.values())
        if len(values) == 1 and UNKNOWN not in values:
            return values.pop(), ()
        needs: list[str] = []
        if UNKNOWN in values and narrower:
            needs.append(narrower)
        if len(sexes) > 1 and _varies(results, sexes, ranks, by_sex=True):
            needs.append("sex")
        if len(ranks) > 1 and _varies(results, sexes, ranks, by_sex=False):
            needs.append("rank")
        if not needs:  # mixed results that neither dimension alone explains: both decide
            needs += [k for k, n in (("sex", len(sexes)), ("rank", len(ranks))) if n > 1]
        return UNKNOWN, tuple(needs)

    def bands(self, day: dt.date) -> list[tuple[int, int]]:
        """Age bands (inclusive) within which the age alone gives the same result for every
        sex and rank, and the same conscription-age result: the age question's options, so a chat
        holds no more than decides the verdict."""
        found = self._bands.get(day)
        if found is None:  # every age question on every screen asks: once per day
            if len(self._bands) > 4096:
                self._bands.clear()
            found = self._bands[day] = tuple(self._bands_now(day))
        return list(found)

    def _bands_now(self, day: dt.date) -> list[tuple[int, int]]:
        cons = self.conscription
        keys = [
            tuple(self.status(s, r, day, births_of_age(age, day)) for s in SEXES for r in RANKS)
            + cons.evaluate({"age": age}, day)[::2]
            for age in range(MAX_AGE + 1)
        ]
        bands: list[tuple[int, int]] = []
        start = 0
        for age in range(1, MAX_AGE + 1):
            if keys[age] != keys[start]:
                bands.append((start, age - 1))
                start = age
        bands.append((start, MAX_AGE))
        return bands


def _status(retired: tuple[Interval, ...], births: Interval) -> int:
    lo, hi = births
    for r_lo, r_hi in retired:
        if r_lo <= lo and hi <= r_hi:
            return TRUE
        if lo <= r_hi and r_lo <= hi:
            return UNKNOWN
    return FALSE


def _varies(
    table: dict[tuple[str, str], int], sexes: tuple[str, ...], ranks: tuple[str, ...], by_sex: bool
) -> bool:
    """Whether fixing this dimension could change the status (its per-value results differ)."""
    groups = sexes if by_sex else ranks
    results = set()
    for g in groups:
        vals = {table[(g, r)] for r in ranks} if by_sex else {table[(s, g)] for s in sexes}
        results.add(vals.pop() if len(vals) == 1 else UNKNOWN)
    return len(results) > 1


class ConscriptionAges:
    """Conscription age on a day (53-FZ Art. 22), from the dated periods in age_limits.yaml.

    `over`: he reached the maximum in force at the time (as with reserve limits, a later rise does
    not bring back who already left: the men who turned 27 in 2023 stayed in the reserve when the
    maximum became 30 on 01.01.2024). `under`: he is younger than the minimum in force on the day."""

    def __init__(self, periods: list[ConscriptionAgePeriod]) -> None:
        self.periods = periods
        self._over: dict[dt.date, tuple[Interval, ...]] = {}
        self._youngest: dict[dt.date, dt.date] = {}
        self._none_in_force: set[dt.date] = set()

    def _in_force(self, day: dt.date) -> ConscriptionAgePeriod | None:
        for p in self.periods:
            if (p.valid_from is None or p.valid_from <= day) and (
                    p.valid_until is None or day <= p.valid_until):
                return p
        return None

    def over_births(self, day: dt.date) -> tuple[Interval, ...]:
        found = self._over.get(day)
        if found is None:
            if len(self._over) > 4096:
                self._over.clear()
            found = self._over[day] = _merge(
                (MIN_BIRTH, latest_birth_reaching(
                    day if p.valid_until is None else min(p.valid_until, day), p.maximum))
                for p in self.periods if p.valid_from is None or p.valid_from <= day)
        return found

    def evaluate(self, facts: Facts, day: dt.date,
                 born: tuple[Interval, str | None] | None = None
                 ) -> tuple[int, tuple[str, ...], int, tuple[str, ...]]:
        """(status of `under`, its needs, status of `over`, its needs). `born`: the facts'
        birth interval and narrower key (birth_interval), when already known."""
        births, narrower = born or birth_interval(facts, day)
        needs = (narrower,) if narrower else ()
        youngest = self._youngest.get(day)
        if youngest is None:
            if len(self._youngest) > 4096:
                self._youngest.clear()
            p = self._in_force(day)
            # Born after this day: under the minimum (no period in force: nobody is within it).
            youngest = self._youngest[day] = (
                latest_birth_reaching(day, p.minimum) if p is not None else MIN_BIRTH)
            if p is None:
                self._none_in_force.add(day)
        if day in self._none_in_force:
            return FALSE, (), TRUE, ()
        lo, hi = births
        under = TRUE if lo > youngest else FALSE if hi <= youngest else UNKNOWN
        over = _status(self.over_births(day), births)
        return (under, needs if under == UNKNOWN else (),
                over, needs if over == UNKNOWN else ())

    def last_day(self, born: dt.date, day: dt.date) -> dt.date | None:
        """The last day within conscription age, for someone born on `born` and within it on
        `day` (None when no later period ends it)."""
        first_out: dt.date | None = None
        for p in self.periods:
            reach = anniversary(born, p.maximum)
            if p.valid_until is not None and reach > p.valid_until:
                continue  # he does not reach this maximum while it is in force
            out = max(reach, p.valid_from or reach, day)
            if first_out is None or out < first_out:
                first_out = out
        return first_out - ONE_DAY if first_out is not None else None

    def first_day(self, born: dt.date) -> dt.date:
        """The day he reaches the minimum in force (the periods share one minimum)."""
        return anniversary(born, self.periods[-1].minimum)

    def boundaries(self, day: dt.date) -> tuple[int, ...]:
        """The ages at which the answer can change on `day`, for the age question's bands."""
        p = self._in_force(day)
        return (p.minimum, p.maximum) if p is not None else ()
