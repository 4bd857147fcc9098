"""SOP-3: report periods (month, quarter, year) in local time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lpse.sop.periods import Period, PeriodError, PeriodKind, parse_period

from .conftest import wib


@pytest.fixture(autouse=True)
def indonesian():
    """Labels and messages in Indonesian, whatever an earlier test left active."""
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("kind", "text", "first", "following", "code", "label"),
    [
        ("bulan", "2026-03", (2026, 3, 1), (2026, 4, 1), "2026-03", "Maret 2026"),
        ("bulan", " 2026-12 ", (2026, 12, 1), (2027, 1, 1), "2026-12", "Desember 2026"),
        ("triwulan", "2026-T1", (2026, 1, 1), (2026, 4, 1), "2026-T1", "Triwulan I 2026"),
        ("triwulan", "2026-q4", (2026, 10, 1), (2027, 1, 1), "2026-T4", "Triwulan IV 2026"),
        ("tahun", "2026", (2026, 1, 1), (2027, 1, 1), "2026", "Tahun 2026"),
    ],
)
def test_sop3_periods_are_read_in_their_written_form(kind, text, first, following, code, label):
    period = parse_period(kind, text)
    assert (period.first, period.following) == (dt.date(*first), dt.date(*following))
    assert (period.code, period.label) == (code, label)
    assert parse_period(kind, period.code) == period


def test_sop3_period_bounds_are_local_midnights():
    start, end = Period.quarter(2026, 2).bounds()
    assert (start, end) == (wib(2026, 4, 1), wib(2026, 7, 1))
    assert start.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("period", "previous", "following"),
    [
        (Period.month(2026, 1), "2025-12", "2026-02"),
        (Period.quarter(2026, 1), "2025-T4", "2026-T2"),
        (Period.year(2026), "2025", "2027"),
    ],
)
def test_sop3_neighbouring_periods_cross_the_year(period, previous, following):
    assert period.previous().code == previous
    assert period.next().code == following


def test_sop3_no_period_before_2000_or_after_2100():
    assert Period.year(2000).previous() is None
    assert Period.month(2100, 12).next() is None


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("bulan", "2026-00", "Tulis bulan seperti 2026-03."),
        ("bulan", "03-2026", "Tulis bulan seperti 2026-03."),
        ("triwulan", "2026-T0", "Tulis triwulan seperti 2026-T1 (triwulan 1 sampai 4)."),
        ("triwulan", "2026", "Tulis triwulan seperti 2026-T1 (triwulan 1 sampai 4)."),
        ("tahun", "2026-03", "Tulis tahun seperti 2026."),
        ("tahun", "9999", "Tahun harus antara 2000 dan 2100."),
        ("pekan", "2026", "Pilih jenis periode: bulan, triwulan atau tahun."),
    ],
)
def test_sop3_unreadable_periods_raise_the_indonesian_message(kind, text, message):
    with pytest.raises(PeriodError) as error:
        parse_period(kind, text)
    assert str(error.value) == message


def test_sop3_containing_finds_the_period_of_a_day():
    day = dt.date(2026, 8, 17)
    assert Period.containing(PeriodKind.MONTH, day).code == "2026-08"
    assert Period.containing(PeriodKind.QUARTER, day).code == "2026-T3"
    assert Period.containing(PeriodKind.YEAR, day).code == "2026"
