"""Reads of the core app: the working calendar of a year (SOP-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from . import calendar
from .models import Closure


@dataclass(frozen=True)
class NationalHoliday:
    date: date
    name: str

    @property
    def is_cuti_bersama(self) -> bool:
        return self.name.startswith("Cuti Bersama")

    @property
    def on_weekend(self) -> bool:
        return self.date.weekday() >= 5


def closures_of_year(year: int) -> QuerySet[Closure]:
    return Closure.objects.filter(date__year=year).select_related("created_by").order_by("date")


def national_holidays_of_year(year: int) -> list[NationalHoliday]:
    """National holidays and cuti bersama of `year`, in date order, Indonesian names."""
    return [
        NationalHoliday(day, name) for day, name in sorted(calendar.national_holidays(year).items())
    ]
