"""The working calendar of the LPSE (SOP-4).

A working day is Monday to Friday that is neither an Indonesian national
holiday nor a cuti bersama (the `holidays` package: country ID, categories
public + government, Indonesian names) nor a local closure that the head of
the LPSE recorded (`core.Closure`). Working hours are a daily window such as
"08:00-16:00" in the LPSE's local time (settings.TIME_ZONE, Asia/Jakarta);
the verification desk uses its own window ("09:00-15:00", REG-4).

National holidays are computed once per year per process (they never change
for a given package version). Local closures live in the database and are
read fresh: one small query per calendar year touched by each call, so two
application servers never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

#: Safety net for loops over days: no sane deadline is further away than this.
_MAX_DAYS = 366 * 20

_HOURS_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")

_national_cache: dict[int, holidays.HolidayBase] = {}


@dataclass(frozen=True)
class Hours:
    """A daily working window, start inclusive and end exclusive."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@lru_cache(maxsize=32)
def parse_hours(text: str) -> Hours:
    """ "08:00-16:00" -> Hours. Raises ValueError on anything else."""
    match = _HOURS_RE.match(text or "")
    if not match:
        raise ValueError(f"working hours must look like HH:MM-HH:MM, not {text!r}")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if not (0 <= h1 <= 23 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60) or (h2 == 24 and m2):
        raise ValueError(f"working hours out of range: {text!r}")
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(f"working hours must end after they start: {text!r}")
    return Hours(start, end)


def _setting_hours(name: str) -> Hours:
    value = getattr(settings, name)
    try:
        return parse_hours(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


def working_hours() -> Hours:
    """The office's working window, from settings.LPSE_WORKING_HOURS."""
    return _setting_hours("LPSE_WORKING_HOURS")


def verification_hours() -> str:
    """The verification desk's window (REG-4) as text for the `hours=` arguments."""
    return str(_setting_hours("LPSE_VERIFICATION_HOURS"))


def _hours(hours: str | None) -> Hours:
    return working_hours() if hours is None else parse_hours(hours)


def local_tz():
    return timezone.get_default_timezone()


def _local(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"an aware datetime is required, not the naive {moment!r}")
    return moment.astimezone(local_tz())


def _at(day: date, clock: time) -> datetime:
    """The aware local moment `clock` on `day` (time.max stands for midnight after)."""
    if clock == time.max:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=local_tz())
    return datetime.combine(day, clock, tzinfo=local_tz())


# --- Days ---------------------------------------------------------------------------


def national_holidays(year: int) -> holidays.HolidayBase:
    """National holidays and cuti bersama of `year`, with Indonesian names."""
    cached = _national_cache.get(year)
    if cached is None:
        cached = holidays.country_holidays(
            "ID",
            years=year,
            language="id",
            categories=(holidays.PUBLIC, holidays.GOVERNMENT),
        )
        _national_cache[year] = cached
    return cached


def _closures_of_year(year: int) -> dict[date, str]:
    from .models import Closure

    return dict(Closure.objects.filter(date__year=year).order_by().values_list("date", "name"))


class _Days:
    """Day lookups for one call: each year's closures are read once."""

    def __init__(self) -> None:
        self._closures: dict[int, dict[date, str]] = {}

    def closure(self, day: date) -> str | None:
        year = self._closures.get(day.year)
        if year is None:
            year = self._closures[day.year] = _closures_of_year(day.year)
        return year.get(day)

    def holiday_name(self, day: date) -> str | None:
        return national_holidays(day.year).get(day) or self.closure(day)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in national_holidays(day.year):
            return False
        return self.closure(day) is None


_shared_days: ContextVar[_Days | None] = ContextVar("lpse_calendar_days", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within this block, every calendar call shares one reading of the local
    closures (one query per year in all), e.g. for a report that measures
    thousands of steps. Outside it, each call reads them afresh."""
    token = _shared_days.set(_Days())
    try:
        yield
    finally:
        _shared_days.reset(token)


def _lookup() -> _Days:
    return _shared_days.get() or _Days()


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return _local(value).date()
    return value


def is_working_day(day: date) -> bool:
    """Monday-Friday and no national holiday, cuti bersama or local closure."""
    return _lookup().is_working_day(_as_date(day))


def holiday_name(day: date) -> str | None:
    """The Indonesian name of the national holiday, else of the local closure, on `day`."""
    return _lookup().holiday_name(_as_date(day))


def add_working_days(start: date | datetime, days: int) -> date:
    """The `days`-th working day after the local date of `start`.

    Negative `days` count backwards (the Nth working day before, e.g. for a
    reminder); 0 gives the start date itself when it is a working day, else
    the next working day.
    """
    lookup = _lookup()
    day = _as_date(start)
    if days == 0:
        return _next_working_day(lookup, day, include=True)
    step = timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    for _ in range(_MAX_DAYS + remaining * 7):
        day += step
        if lookup.is_working_day(day):
            remaining -= 1
            if remaining == 0:
                return day
    raise ValueError(f"no {days} working days found from {start}")  # pragma: no cover


def _next_working_day(lookup: _Days, day: date, *, include: bool) -> date:
    if not include:
        day += timedelta(days=1)
    for _ in range(_MAX_DAYS):
        if lookup.is_working_day(day):
            return day
        day += timedelta(days=1)
    raise ValueError(f"no working day within {_MAX_DAYS} days of {day}")  # pragma: no cover


def working_deadline(start: datetime, days: int) -> datetime:
    """The end of working hours on the `days`-th working day after `start` (aware, local)."""
    return _at(add_working_days(start, days), working_hours().end)


# --- Hours --------------------------------------------------------------------------


def is_working_time(moment: datetime, hours: str | None = None) -> bool:
    """Inside the working window (start inclusive, end exclusive) of a working day."""
    window = _hours(hours)
    local = _local(moment)
    if not window.start <= local.time() < window.end and not (
        window.end == time.max and local.time() >= window.start
    ):
        return False
    return is_working_day(local.date())


def _windows(
    lookup: _Days, start: datetime, window: Hours, *, until: datetime | None = None
) -> Callable[[], tuple[datetime, datetime] | None]:
    """Successive (open, close) working intervals from `start`'s local day on."""
    state = {"day": _local(start).date(), "count": 0}

    def following() -> tuple[datetime, datetime] | None:
        while state["count"] < _MAX_DAYS:
            day = state["day"]
            state["day"] = day + timedelta(days=1)
            state["count"] += 1
            opens = _at(day, window.start)
            if until is not None and opens >= until:
                return None
            if lookup.is_working_day(day):
                return opens, _at(day, window.end)
        return None

    return following


def working_seconds_between(start: datetime, end: datetime, hours: str | None = None) -> float:
    """Working time between two moments, in seconds; negative when `end` is before `start`."""
    if end < start:
        return -working_seconds_between(end, start, hours)
    window = _hours(hours)
    lookup = _lookup()
    following = _windows(lookup, start, window, until=end)
    total = 0.0
    while (interval := following()) is not None:
        opens, closes = interval
        overlap = (min(closes, end) - max(opens, start)).total_seconds()
        if overlap > 0:
            total += overlap
    return total


def add_working_time(start: datetime, delta: timedelta, hours: str | None = None) -> datetime:
    """The moment when `delta` of working time has passed since `start` (aware, local).

    Time outside the working window does not count: 3 working hours from
    15:00 on a Friday end at 10:00 on the next working day (08:00-16:00). A
    result that falls exactly on the end of a window is that end, not the
    next morning.
    """
    if delta < timedelta(0):
        raise ValueError("delta must not be negative")
    window = _hours(hours)
    lookup = _lookup()
    following = _windows(lookup, start, window)
    remaining = delta
    while (interval := following()) is not None:
        opens, closes = interval
        begin = max(opens, start)
        if begin >= closes:
            continue
        if remaining == timedelta(0):
            return begin
        if begin + remaining <= closes:
            return begin + remaining
        remaining -= closes - begin
    raise ValueError(f"cannot add {delta} of working time to {start}")  # pragma: no cover
