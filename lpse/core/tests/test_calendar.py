"""SOP-4: working days and hours on the Indonesian calendar plus local closures.

The 2026 dates below come from the `holidays` package (country ID, public +
government categories) and match the SKB 3 Menteri for 2026: Nyepi on
Thursday 19 March with cuti bersama on 18 March; Idul Fitri 1447 H on
Saturday 21 and Sunday 22 March with cuti bersama on Friday 20, Monday 23 and
Tuesday 24 March; Christmas on Friday 25 December with cuti bersama on
Thursday 24 December. The first test pins them, so a package upgrade that
moves them fails loudly here instead of shifting deadlines silently.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from lpse.core import calendar
from lpse.core.models import Closure

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_sop4_library_gives_the_2026_idul_fitri_and_cuti_bersama_dates():
    national = calendar.national_holidays(2026)
    idul_fitri = {day for day, name in national.items() if "Idul Fitri" in name}
    assert idul_fitri == {date(2026, 3, d) for d in (20, 21, 22, 23, 24)}
    assert national[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert national[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert national[date(2026, 3, 19)] == "Hari Suci Nyepi"
    assert national[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert national[date(2026, 12, 25)] == "Hari Raya Natal"
    assert national[date(2026, 1, 1)] == "Tahun Baru Masehi"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 17), True),  # Tuesday before Nyepi
        (date(2026, 3, 18), False),  # cuti bersama Nyepi
        (date(2026, 3, 20), False),  # cuti bersama Idul Fitri (Friday)
        (date(2026, 3, 23), False),  # cuti bersama Idul Fitri (Monday)
        (date(2026, 3, 24), False),  # cuti bersama Idul Fitri (Tuesday)
        (date(2026, 3, 25), True),  # back to work
        (date(2026, 12, 24), False),  # cuti bersama Natal
        (date(2026, 12, 25), False),  # Natal
        (date(2026, 1, 1), False),  # Tahun Baru
        (date(2026, 1, 2), True),  # an ordinary Friday
        (date(2026, 3, 14), False),  # Saturday
        (date(2026, 3, 15), False),  # Sunday
    ],
)
def test_sop4_working_days_follow_weekends_holidays_and_cuti_bersama(day, expected):
    assert calendar.is_working_day(day) is expected


def test_sop4_holiday_name_is_indonesian_and_none_on_plain_days_and_weekends():
    assert calendar.holiday_name(date(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert calendar.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert calendar.holiday_name(date(2026, 3, 12)) is None
    assert calendar.holiday_name(date(2026, 3, 14)) is None  # a Saturday is no holiday


def test_sop4_local_closure_is_not_a_working_day_and_carries_its_name():
    Closure.objects.create(date=date(2026, 3, 12), name="HUT Kabupaten Tangerang")
    assert calendar.is_working_day(date(2026, 3, 12)) is False
    assert calendar.holiday_name(date(2026, 3, 12)) == "HUT Kabupaten Tangerang"
    assert calendar.is_working_day(date(2026, 3, 11)) is True
    assert calendar.is_working_time(wib(2026, 3, 12, 10, 0)) is False


def test_sop4_seven_working_days_after_crossing_idul_fitri():
    """REG-3: 7 hari kerja from Mon 16 March 2026: 17, 25, 26, 27, 30, 31 Mar, 1 Apr."""
    assert calendar.add_working_days(date(2026, 3, 16), 7) == date(2026, 4, 1)


def test_sop4_working_days_count_from_the_local_date_of_a_moment():
    # 20:00 UTC on 15 March is 03:00 WIB on Monday 16 March.
    late_utc = datetime(2026, 3, 15, 20, 0, tzinfo=UTC)
    assert calendar.add_working_days(late_utc, 7) == date(2026, 4, 1)
    assert calendar.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)


def test_sop4_a_local_closure_pushes_a_deadline_by_one_day():
    assert calendar.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    Closure.objects.create(date=date(2026, 3, 5), name="Pindah kantor")
    assert calendar.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 10)


def test_sop4_negative_working_days_count_backwards_for_reminders():
    assert calendar.add_working_days(date(2026, 4, 1), -7) == date(2026, 3, 16)
    assert calendar.add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 16)
    assert calendar.add_working_days(date(2026, 3, 13), 0) == date(2026, 3, 13)


def test_sop4_working_deadline_is_the_end_of_office_hours_that_day():
    deadline = calendar.working_deadline(wib(2026, 3, 16, 10, 30), 7)
    assert deadline == wib(2026, 4, 1, 16, 0)
    assert deadline.utcoffset() == timedelta(hours=7)


def test_sop4_working_deadline_crosses_the_new_year():
    # 23 Dec 2026 (Wed) + 3: 28, 29, 30 Dec (24-25 Christmas, 26-27 weekend).
    assert calendar.working_deadline(wib(2026, 12, 23, 9, 0), 3) == wib(2026, 12, 30, 16, 0)
    # + 5: 31 Dec, (1 Jan 2027 holiday, weekend) then 4 Jan 2027.
    assert calendar.working_deadline(wib(2026, 12, 23, 9, 0), 5) == wib(2027, 1, 4, 16, 0)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wib(2026, 3, 12, 8, 0), True),
        (wib(2026, 3, 12, 7, 59, 59), False),
        (wib(2026, 3, 12, 15, 59, 59), True),
        (wib(2026, 3, 12, 16, 0), False),
        (datetime(2026, 3, 12, 1, 0, tzinfo=UTC), True),  # 08:00 WIB
        (datetime(2026, 3, 12, 0, 59, tzinfo=UTC), False),  # 07:59 WIB
        (wib(2026, 3, 14, 10, 0), False),  # Saturday
        (wib(2026, 3, 23, 10, 0), False),  # cuti bersama Idul Fitri
    ],
)
def test_sop4_is_working_time_boundaries_default_hours(moment, expected):
    assert calendar.is_working_time(moment) is expected


def test_sop4_verification_desk_hours_are_nine_to_three():
    """REG-4: verification happens on working days 09:00-15:00 WIB."""
    hours = calendar.verification_hours()
    assert hours == "09:00-15:00"
    assert calendar.is_working_time(wib(2026, 3, 12, 8, 30), hours) is False
    assert calendar.is_working_time(wib(2026, 3, 12, 8, 30)) is True
    assert calendar.is_working_time(wib(2026, 3, 12, 9, 0), hours) is True
    assert calendar.is_working_time(wib(2026, 3, 12, 14, 59), hours) is True
    assert calendar.is_working_time(wib(2026, 3, 12, 15, 0), hours) is False


def test_sop4_working_seconds_over_a_night_a_weekend_and_idul_fitri():
    hour = 3600.0
    night = calendar.working_seconds_between(wib(2026, 3, 12, 15, 0), wib(2026, 3, 13, 9, 0))
    assert night == 2 * hour
    weekend = calendar.working_seconds_between(wib(2026, 3, 13, 15, 0), wib(2026, 3, 16, 9, 0))
    assert weekend == 2 * hour
    lebaran = calendar.working_seconds_between(wib(2026, 3, 17, 15, 0), wib(2026, 3, 25, 9, 0))
    assert lebaran == 2 * hour
    same_day = calendar.working_seconds_between(wib(2026, 3, 12, 6, 0), wib(2026, 3, 12, 20, 0))
    assert same_day == 8 * hour
    assert calendar.working_seconds_between(wib(2026, 3, 13, 9, 0), wib(2026, 3, 12, 15, 0)) == (
        -2 * hour
    )
    verification = calendar.working_seconds_between(
        wib(2026, 3, 12, 8, 0), wib(2026, 3, 12, 16, 0), "09:00-15:00"
    )
    assert verification == 6 * hour


def test_sop4_add_working_time_skips_nights_weekends_and_holidays():
    assert calendar.add_working_time(wib(2026, 3, 13, 15, 0), timedelta(hours=3)) == wib(
        2026, 3, 16, 10, 0
    )
    # Ends exactly at closing time: that closing time, not the next morning.
    assert calendar.add_working_time(wib(2026, 3, 12, 14, 0), timedelta(hours=2)) == wib(
        2026, 3, 12, 16, 0
    )
    # Started on a holiday: the clock starts when the office opens again.
    assert calendar.add_working_time(wib(2026, 3, 21, 10, 0), timedelta(minutes=30)) == wib(
        2026, 3, 25, 8, 30
    )
    assert calendar.add_working_time(
        wib(2026, 3, 17, 14, 0), timedelta(hours=2), "09:00-15:00"
    ) == wib(2026, 3, 25, 10, 0)


def test_sop4_add_working_time_and_seconds_between_agree():
    start = wib(2026, 3, 17, 11, 17)
    for hours in (1, 5, 8, 24, 40):
        end = calendar.add_working_time(start, timedelta(hours=hours))
        assert calendar.working_seconds_between(start, end) == hours * 3600


def test_sop4_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        calendar.is_working_time(datetime(2026, 3, 12, 10, 0))


@override_settings(LPSE_WORKING_HOURS="8-16")
def test_sop4_malformed_working_hours_setting_names_the_setting():
    with pytest.raises(ImproperlyConfigured, match="LPSE_WORKING_HOURS"):
        calendar.is_working_time(wib(2026, 3, 12, 10, 0))


@override_settings(LPSE_WORKING_HOURS="07:30-15:30")
def test_sop4_working_hours_come_from_settings():
    assert calendar.is_working_time(wib(2026, 3, 12, 7, 30)) is True
    assert calendar.working_deadline(wib(2026, 3, 12, 7, 30), 1) == wib(2026, 3, 13, 15, 30)


@pytest.mark.parametrize("text", ["16:00-08:00", "25:00-26:00", "08:00", "08:00-08:00", ""])
def test_sop4_bad_hours_argument_is_refused(text):
    with pytest.raises(ValueError):
        calendar.parse_hours(text)


def test_sop4_one_query_per_year_for_a_long_computation(django_assert_num_queries):
    with django_assert_num_queries(2):  # 2026 and 2027 closures
        calendar.working_deadline(wib(2026, 12, 23, 9, 0), 5)
    with django_assert_num_queries(1):
        calendar.working_seconds_between(wib(2026, 1, 5, 9, 0), wib(2026, 12, 18, 9, 0))


@pytest.mark.django_db
def test_sop4_one_reading_shares_the_closures_across_calls(django_assert_num_queries):
    """SOP-4: a report measuring many steps reads each year's local closures once."""
    from lpse.core.calendar import one_reading

    days = [date(2026, 3, d) for d in range(1, 29)]
    with django_assert_num_queries(1), one_reading():
        flags = [calendar.is_working_day(day) for day in days]
    # 1-28 March 2026: 20 weekdays less Nyepi (19), cuti bersama 18, 20, 23 and 24.
    assert flags.count(True) == 15
