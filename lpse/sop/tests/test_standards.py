"""SOP-3: each step's "Waktu" text becomes a machine target with a deadline.

Deadlines are checked at real 2026 dates on the Indonesian calendar (SOP-4):
Nyepi on Thursday 19 March with cuti bersama on 18 March; Idul Fitri on 21-22
March with cuti bersama on Friday 20, Monday 23 and Tuesday 24 March; Good
Friday (Wafat Yesus Kristus) on 3 April.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml
from django.test import override_settings
from django.utils import timezone

from lpse.core.models import Closure
from lpse.sop.standards import (
    AUDIENCE_AGENCY,
    AUDIENCE_VENDOR,
    ScheduleRule,
    StandardKind,
    TimeStandard,
    parse_time_standard,
)

WIB = ZoneInfo("Asia/Jakarta")
DATA = Path(__file__).resolve().parents[1] / "data"

TRAINING_TEXT = (
    "1. Pelatihan untuk rekanan setiap hari rabu dan kamis jam 09.00-13.00. 2. Pelatihan "
    "untuk Admin Agency, PPK, dan Panitia dilaksanakan pada hari Senin, Selasa dan Jumat atau "
    "hari lain jam 09.00 \u2013 15.00."
)
NO_TARGET_TEXTS = {
    "",
    "Tidak ditentukan",
    "Waktu tidak ditentukan",
    "Pada jam kerja dan diluar jam kerja",
}


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def every_step():
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for step in data["steps"]:
            yield pytest.param(step["time"], id=f"{data['code']}-{step['number']}")


@pytest.mark.parametrize("text", list(every_step()))
def test_sop3_every_step_time_of_every_procedure_parses(text):
    standard = parse_time_standard(text)
    assert standard.text == text
    # Only the texts that really set no target may become NONE: a mistyped time is loud.
    assert (standard.kind == StandardKind.NONE) is (text in NO_TARGET_TEXTS)


def test_sop3_every_distinct_time_text_in_the_data_is_covered_below():
    texts = {param.values[0] for param in every_step()}
    assert texts == NO_TARGET_TEXTS | set(EXPECTED) | {TRAINING_TEXT}


EXPECTED = {
    # text: (kind, minimum, maximum, working, hours)
    "7 (tujuh) hari kerja": (StandardKind.WORKING_DAYS, None, timedelta(days=7), True, None),
    "7 hari kerja": (StandardKind.WORKING_DAYS, None, timedelta(days=7), True, None),
    "Setiap hari kerja pukul 09.00-15.00 WIB": (
        StandardKind.WORKING_HOURS,
        None,
        None,
        True,
        "09:00-15:00",
    ),
    "15 \u2013 30 menit": (
        StandardKind.DURATION,
        timedelta(minutes=15),
        timedelta(minutes=30),
        False,
        None,
    ),
    "15-30 menit": (
        StandardKind.DURATION,
        timedelta(minutes=15),
        timedelta(minutes=30),
        False,
        None,
    ),
    "10 -20 menit": (
        StandardKind.DURATION,
        timedelta(minutes=10),
        timedelta(minutes=20),
        False,
        None,
    ),
    "1-5 menit": (StandardKind.DURATION, timedelta(minutes=1), timedelta(minutes=5), False, None),
    "1 menit": (StandardKind.DURATION, timedelta(minutes=1), timedelta(minutes=1), False, None),
    "5 menit": (StandardKind.DURATION, timedelta(minutes=5), timedelta(minutes=5), False, None),
    "5 \u2013 15 menit": (
        StandardKind.DURATION,
        timedelta(minutes=5),
        timedelta(minutes=15),
        False,
        None,
    ),
    "1 \u2013 5 menit": (
        StandardKind.DURATION,
        timedelta(minutes=1),
        timedelta(minutes=5),
        False,
        None,
    ),
    "1 \u2013 24 Jam": (
        StandardKind.DURATION,
        timedelta(hours=1),
        timedelta(hours=24),
        False,
        None,
    ),
    "Pada jam kerja": (StandardKind.WORKING_HOURS, None, None, True, None),
    "Hari kerja": (StandardKind.WORKING_HOURS, None, None, True, None),
    "Segera setelah disposisi/ penugasan": (StandardKind.IMMEDIATE, None, None, True, None),
}


@pytest.mark.parametrize("text", sorted(EXPECTED))
def test_sop3_time_text_parses_into_its_target(text):
    kind, minimum, maximum, working, hours = EXPECTED[text]
    standard = parse_time_standard(text)
    assert (standard.kind, standard.minimum, standard.maximum) == (kind, minimum, maximum)
    assert (standard.working, standard.hours, standard.rules) == (working, hours, ())


@pytest.mark.parametrize(
    "text",
    ["Tidak ditentukan", "Waktu tidak ditentukan", "Pada jam kerja dan diluar jam kerja", ""],
)
def test_sop3_texts_without_a_target_have_no_deadline(text):
    standard = parse_time_standard(text)
    assert standard.kind == StandardKind.NONE
    assert standard.maximum is None
    assert standard.due(wib(2026, 3, 16, 10, 0)) is None


@pytest.mark.parametrize(
    ("text", "minimum", "maximum"),
    [
        ("15 - 30 MENIT", 15, 30),
        ("  15\u201330   menit ", 15, 30),
        ("1 - 24 jam", 60, 24 * 60),
        ("1\u201424 Jam", 60, 24 * 60),
    ],
)
def test_sop3_durations_accept_any_dash_spacing_and_case(text, minimum, maximum):
    standard = parse_time_standard(text)
    assert standard.kind == StandardKind.DURATION
    assert standard.minimum == timedelta(minutes=minimum)
    assert standard.maximum == timedelta(minutes=maximum)


def test_sop3_training_schedule_of_2_4_step_7_becomes_rules_per_audience():
    standard = parse_time_standard(TRAINING_TEXT)
    assert standard.kind == StandardKind.SCHEDULE
    assert standard.rules == (
        ScheduleRule(AUDIENCE_VENDOR, (2, 3), "09:00-13:00"),  # Wednesday, Thursday
        ScheduleRule(AUDIENCE_AGENCY, (0, 1, 4), "09:00-15:00"),  # Monday, Tuesday, Friday
    )
    audience, weekdays, hours = standard.rules[0]  # plain 3-tuples for callers
    assert (audience, weekdays, hours) == ("vendor", (2, 3), "09:00-13:00")
    assert standard.allows_other_days(AUDIENCE_AGENCY) is True  # "atau hari lain"
    assert standard.allows_other_days(AUDIENCE_VENDOR) is False
    assert standard.due(wib(2026, 3, 11, 9, 0)) is None  # when it may happen, not how long


@pytest.mark.parametrize(
    "text",
    [
        "secepatnya",
        "30 - 15 menit",  # maximum before minimum
        "0 menit",
        "7 (enam) hari kerja",  # the word contradicts the figure
        "3 hari",  # calendar days are not a standard of the appendix
        "Setiap hari kerja pukul 16.00-09.00 WIB",
        "Setiap hari kerja pukul 25.00-26.00 WIB",
        "15 - 30 detik",
        "1. Pelatihan untuk tamu setiap hari rabu jam 09.00-13.00.",
        "1. Pelatihan untuk rekanan setiap hari jam 09.00-13.00.",
    ],
)
def test_sop3_unknown_time_text_raises_value_error_naming_it(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_time_standard(text)


def test_sop3_due_refuses_a_naive_start():
    with pytest.raises(ValueError, match="aware"):
        parse_time_standard("15-30 menit").due(datetime(2026, 3, 16, 10, 0))


# --- due() on the 2026 calendar ---------------------------------------------------------


@pytest.mark.django_db
def test_sop3_seven_working_days_before_idul_fitri_skip_nyepi_lebaran_and_cuti_bersama():
    # Tuesday 17 March 2026: 18-24 March are Nyepi, Idul Fitri, cuti bersama and a weekend.
    due = parse_time_standard("7 (tujuh) hari kerja").due(wib(2026, 3, 17, 10, 0))
    assert due == wib(2026, 4, 2, 16, 0)  # Thursday 2 April, end of office hours
    plain = parse_time_standard("7 hari kerja").due(wib(2026, 2, 2, 10, 0))
    assert plain == wib(2026, 2, 11, 16, 0)  # an ordinary fortnight: Monday to next Wednesday


@pytest.mark.django_db
def test_sop3_working_days_deadline_moves_past_a_local_closure():
    Closure.objects.create(date=date(2026, 2, 5), name="HUT Kabupaten Tangerang")
    due = parse_time_standard("7 hari kerja").due(wib(2026, 2, 2, 10, 0))
    assert due == wib(2026, 2, 12, 16, 0)


@pytest.mark.django_db
def test_sop3_registration_started_now_is_due_seven_working_days_later():
    with time_machine.travel(wib(2026, 3, 16, 9, 30), tick=False):
        due = parse_time_standard("7 (tujuh) hari kerja").due(timezone.now())
    # Monday 16 March: the 17th is the only working day before Lebaran, then 25 March on.
    assert due == wib(2026, 4, 1, 16, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started", "expected"),
    [
        (wib(2026, 3, 16, 10, 0), wib(2026, 3, 16, 15, 0)),  # inside the window: same day
        (wib(2026, 3, 16, 7, 0), wib(2026, 3, 16, 15, 0)),  # before opening: same day
        (wib(2026, 3, 16, 15, 30), wib(2026, 3, 17, 15, 0)),  # after closing: next working day
        (wib(2026, 3, 17, 16, 0), wib(2026, 3, 25, 15, 0)),  # eve of Nyepi and Lebaran
        (wib(2026, 3, 21, 10, 0), wib(2026, 3, 25, 15, 0)),  # on Idul Fitri itself
        (wib(2026, 3, 14, 10, 0), wib(2026, 3, 16, 15, 0)),  # Saturday
    ],
)
def test_sop3_verification_desk_window_is_due_when_the_desk_closes(started, expected):
    standard = parse_time_standard("Setiap hari kerja pukul 09.00-15.00 WIB")
    assert standard.due(started) == expected


@pytest.mark.django_db
def test_sop3_working_day_standard_is_due_at_the_end_of_that_working_day():
    standard = parse_time_standard("Hari kerja")
    assert standard.due(wib(2026, 4, 1, 11, 0)) == wib(2026, 4, 1, 16, 0)
    # Thursday evening before Good Friday: the next working day is Monday 6 April.
    assert standard.due(wib(2026, 4, 2, 17, 0)) == wib(2026, 4, 6, 16, 0)
    assert parse_time_standard("Pada jam kerja").due(wib(2026, 4, 1, 11, 0)) == wib(
        2026, 4, 1, 16, 0
    )


@pytest.mark.django_db
def test_sop3_default_working_window_follows_the_setting():
    with override_settings(LPSE_WORKING_HOURS="07:30-15:30"):
        assert parse_time_standard("Pada jam kerja").due(wib(2026, 4, 1, 11, 0)) == wib(
            2026, 4, 1, 15, 30
        )


@pytest.mark.django_db
def test_sop3_immediate_after_disposition_means_within_the_same_working_day():
    standard = parse_time_standard("Segera setelah disposisi/ penugasan")
    with time_machine.travel(wib(2026, 3, 12, 9, 30), tick=False):
        assert standard.due(timezone.now()) == wib(2026, 3, 12, 16, 0)
    # Disposition on the evening of Friday 2 January 2026: due Monday 5 January.
    assert standard.due(wib(2026, 1, 2, 19, 0)) == wib(2026, 1, 5, 16, 0)


def test_sop3_durations_count_elapsed_clock_time_even_over_holidays():
    desk = parse_time_standard("15 \u2013 30 menit")
    assert desk.due(wib(2026, 3, 16, 15, 50)) == wib(2026, 3, 16, 16, 20)
    lkpp = parse_time_standard("1 \u2013 24 Jam")
    assert lkpp.due(wib(2026, 3, 20, 10, 0)) == wib(2026, 3, 21, 10, 0)  # over Idul Fitri


def test_sop3_time_standard_is_immutable_and_labelled_in_indonesian():
    standard = parse_time_standard("1 menit")
    assert isinstance(standard, TimeStandard)
    with pytest.raises(AttributeError):
        standard.maximum = timedelta(hours=1)
    assert str(StandardKind.WORKING_DAYS.label) == "Hari kerja"
    assert str(StandardKind.NONE.label) == "Tanpa target waktu"
