"""Report periods of the service levels (SOP-3): a month, a quarter (triwulan) or a year.

A period is a half-open range of local dates [first, following) in the LPSE's
time zone; `bounds()` gives the aware datetimes the reports filter on. Each
kind has one written form, used in the URL and in the form:

- month: "2026-03"
- quarter: "2026-T1" (triwulan I; "2026-Q1" is accepted too)
- year: "2026"
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lpse.core.calendar import local_tz

#: Years a report can ask for (the LPSE did not exist before; nothing is planned after).
FIRST_YEAR, LAST_YEAR = 2000, 2100

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(TextChoices):
    MONTH = "bulan", _("Bulan")
    QUARTER = "triwulan", _("Triwulan")
    YEAR = "tahun", _("Tahun")


_FORMATS = {
    PeriodKind.MONTH: re.compile(r"(\d{4})-(\d{1,2})"),
    PeriodKind.QUARTER: re.compile(r"(\d{4})-[TtQq](\d)"),
    PeriodKind.YEAR: re.compile(r"(\d{4})"),
}


class PeriodError(ValueError):
    """A period text that cannot be read; `str(error)` is the Indonesian message."""


def example(kind: str) -> str:
    """How a period of `kind` is written, for messages and placeholders."""
    return {
        PeriodKind.MONTH: "2026-03",
        PeriodKind.QUARTER: "2026-T1",
        PeriodKind.YEAR: "2026",
    }[PeriodKind(kind)]


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: dt.date  # first day in the period
    following: dt.date  # first day after it

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(PeriodKind.MONTH, first, following)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * (quarter - 1) + 1, 1)
        following = dt.date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)
        return cls(PeriodKind.QUARTER, first, following)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        """The period of `kind` in which `day` falls."""
        kind = PeriodKind(kind)
        if kind == PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        if kind == PeriodKind.QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.year(day.year)

    @property
    def quarter_number(self) -> int:
        return (self.first.month - 1) // 3 + 1

    @property
    def code(self) -> str:
        """The written form: "2026-03", "2026-T1", "2026"."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first.year}-T{self.quarter_number}"
        return str(self.first.year)

    @property
    def label(self) -> str:
        """ "Maret 2026", "Triwulan I 2026", "Tahun 2026" (in the active language)."""
        if self.kind == PeriodKind.MONTH:
            return formats.date_format(self.first, "F Y")
        if self.kind == PeriodKind.QUARTER:
            return gettext("Triwulan %(roman)s %(year)d") % {
                "roman": _ROMAN[self.quarter_number],
                "year": self.first.year,
            }
        return gettext("Tahun %(year)d") % {"year": self.first.year}

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes at local midnight."""
        tz = local_tz()
        return (
            dt.datetime.combine(self.first, dt.time(0), tzinfo=tz),
            dt.datetime.combine(self.following, dt.time(0), tzinfo=tz),
        )

    def previous(self) -> Period | None:
        day = self.first - dt.timedelta(days=1)
        return Period.containing(self.kind, day) if day.year >= FIRST_YEAR else None

    def next(self) -> Period | None:
        day = self.following
        return Period.containing(self.kind, day) if day.year <= LAST_YEAR else None


def parse_period(kind: str, text: str) -> Period:
    """The period of `kind` written as `text`. Raises PeriodError (Indonesian) otherwise."""
    try:
        kind = PeriodKind(kind)
    except ValueError:
        raise PeriodError(gettext("Pilih jenis periode: bulan, triwulan atau tahun.")) from None
    match = _FORMATS[kind].fullmatch((text or "").strip())
    if kind == PeriodKind.MONTH:
        ok = match is not None and 1 <= int(match.group(2)) <= 12
        message = gettext("Tulis bulan seperti %(example)s.")
    elif kind == PeriodKind.QUARTER:
        ok = match is not None and 1 <= int(match.group(2)) <= 4
        message = gettext("Tulis triwulan seperti %(example)s (triwulan 1 sampai 4).")
    else:
        ok = match is not None
        message = gettext("Tulis tahun seperti %(example)s.")
    if not ok:
        raise PeriodError(message % {"example": example(kind)})
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            gettext("Tahun harus antara %(first)d dan %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if kind == PeriodKind.MONTH:
        return Period.month(year, int(match.group(2)))
    if kind == PeriodKind.QUARTER:
        return Period.quarter(year, int(match.group(2)))
    return Period.year(year)
