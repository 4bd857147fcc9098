"""The month of a report (RPT-1): parsed from "YYYY-MM", bounded in local time (Asia/Jakarta)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.core.pdf import MONTHS_ID
from lpse.sop.periods import Period as CalendarPeriod

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR = 2000


class BadMonth(ValueError):
    """The month given is not a valid "YYYY-MM" of a month that has begun; the message says why."""


def first_of_next(month: date) -> date:
    return CalendarPeriod.month(month.year, month.month).following


def first_of_previous(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def last_full_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return first_of_previous(today.replace(day=1))


def parse_month(value: str | None, today: date | None = None) -> date:
    """The first day of the month "YYYY-MM"; the last full month when `value` is empty.

    Raises BadMonth (with an Indonesian message) for anything else, and for a month that
    has not begun yet.
    """
    today = today or timezone.localdate()
    if value is None or not value.strip():
        return last_full_month(today)
    match = MONTH_RE.match(value.strip())
    if not match:
        raise BadMonth(_("Bulan harus ditulis TTTT-BB, misalnya 2026-10."))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise BadMonth(_("Bulan %(month)02d tidak ada; pilih 01 sampai 12.") % {"month": month})
    if year < FIRST_YEAR:
        raise BadMonth(_("Tahun sebelum %(year)d tidak dilaporkan.") % {"year": FIRST_YEAR})
    first = date(year, month, 1)
    if first > today.replace(day=1):
        raise BadMonth(_("Bulan %(month)s belum berjalan.") % {"month": month_name(first)})
    return first


def month_name(month: date) -> str:
    """ "November 2026": Indonesian month names, as on the LPSE's official documents."""
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month in local time, as aware datetimes (the SOP-3 report's periods)."""
    return CalendarPeriod.month(month.year, month.month).bounds()


@dataclass(frozen=True)
class Period:
    """A report month and the month before it, for the comparison."""

    month: date

    @property
    def previous(self) -> date:
        return first_of_previous(self.month)

    @property
    def start(self) -> datetime:
        return bounds(self.month)[0]

    @property
    def end(self) -> datetime:
        return bounds(self.month)[1]

    @property
    def previous_start(self) -> datetime:
        return bounds(self.previous)[0]

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def name(self) -> str:
        return month_name(self.month)

    @property
    def previous_name(self) -> str:
        return month_name(self.previous)

    def is_running(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.month == today.replace(day=1)
