"""Time standards of the SOP steps ("Waktu", the appendix's "Mutu Baku") as targets (SOP-3).

Each step of the appendix states its time as free Indonesian text:
"15 - 30 menit", "7 (tujuh) hari kerja", "Setiap hari kerja pukul 09.00-15.00
WIB", "Segera setelah disposisi/ penugasan", ... `parse_time_standard` turns
that text into a `TimeStandard` whose `due(started_at)` is the deadline a step
started at `started_at` should meet (None when the regulation sets no target).

Text the parser does not recognise raises ValueError naming it: a new or
mistyped time standard must be noticed, never silently become "no target".

How each kind is measured:

- DURATION ("15 - 30 menit", "1 - 24 Jam", with hyphens or en dashes): the
  maximum counts in elapsed clock time from the start of the step. The
  appendix states these as the handling time of a step that is under way (a
  verifier checking documents at the desk, a phone call, the wait for an
  answer from LKPP, which works on its own hours); a desk check started at
  14:50 is not paused at the end of office hours, and a vendor waiting for
  LKPP waits the full 24 clock hours whatever the LPSE's calendar says.
- WORKING_DAYS ("7 (tujuh) hari kerja"): the end of working hours of the Nth
  working day after the start (`lpse.core.calendar.working_deadline`).
- WORKING_HOURS ("Setiap hari kerja pukul 09.00-15.00 WIB", "Pada jam kerja",
  "Hari kerja"): done within the working window of the working day on which
  the step started, i.e. due at the end of that window; a step started after
  the window closed, or on a day off, is due at the end of the next working
  day's window. The window is the one the text states, else the office's
  (settings.LPSE_WORKING_HOURS).
- IMMEDIATE ("Segera setelah disposisi/ penugasan"): the appendix gives no
  figure, so the measurable target chosen here is the same working day as
  the disposition: due at the end of the office's working hours of the
  working day on which the step started (next working day when it started
  outside them), exactly like WORKING_HOURS with the default window.
- NONE ("Tidak ditentukan", "Pada jam kerja dan diluar jam kerja", or an
  empty time column as in Lampiran VI): no target.
- SCHEDULE (the training days of 2.4 step 7): the text says when the step may
  happen, not how long it may take; `rules` carries the days and hours per
  audience for the scheduler and `due` is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lpse.core import calendar


class StandardKind(TextChoices):
    NONE = "none", _("Tanpa target waktu")
    DURATION = "duration", _("Durasi")
    WORKING_DAYS = "working_days", _("Hari kerja")
    WORKING_HOURS = "working_hours", _("Dalam jam kerja")
    IMMEDIATE = "immediate", _("Segera")
    SCHEDULE = "schedule", _("Jadwal tetap")


#: Audiences of the training schedule (Lampiran II 2.4 step 7).
AUDIENCE_VENDOR = "vendor"  # "Pelatihan untuk rekanan"
AUDIENCE_AGENCY = "agency"  # "Pelatihan untuk Admin Agency, PPK, dan Panitia"


class ScheduleRule(NamedTuple):
    """One line of a fixed schedule: who, on which weekdays (Monday=0), in which window."""

    audience: str
    weekdays: tuple[int, ...]
    hours: str


@dataclass(frozen=True)
class TimeStandard:
    kind: StandardKind
    text: str
    minimum: timedelta | None = None
    maximum: timedelta | None = None
    working: bool = False
    hours: str | None = None
    rules: tuple[ScheduleRule, ...] = ()
    #: Audiences for which the schedule also allows "hari lain" (another day set by the head).
    other_days: tuple[str, ...] = ()

    def due(self, started_at: datetime) -> datetime | None:
        """The target deadline of a step started at `started_at` (aware), None if no target."""
        if timezone.is_naive(started_at):
            raise ValueError(f"an aware datetime is required, not the naive {started_at!r}")
        if self.kind == StandardKind.DURATION:
            return started_at + self.maximum
        if self.kind == StandardKind.WORKING_DAYS:
            return calendar.working_deadline(started_at, self.maximum.days)
        if self.kind in (StandardKind.WORKING_HOURS, StandardKind.IMMEDIATE):
            return end_of_working_window(started_at, self.hours)
        return None

    def allows_other_days(self, audience: str) -> bool:
        return audience in self.other_days


def end_of_working_window(started_at: datetime, hours: str | None = None) -> datetime:
    """The close of the first working window that is still open at or after `started_at`."""
    window = calendar.parse_hours(hours) if hours else calendar.working_hours()
    local = started_at.astimezone(calendar.local_tz())
    day = calendar.add_working_days(local, 0)
    if day == local.date() and window.end != time.max and local.time() >= window.end:
        day = calendar.add_working_days(local, 1)
    return _close(day, window.end)


def _close(day: date, clock: time) -> datetime:
    if clock == time.max:  # a window running to midnight closes at 00:00 of the next day
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.local_tz())
    return datetime.combine(day, clock, tzinfo=calendar.local_tz())


# --- Parsing ------------------------------------------------------------------------

_NUMBER_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "dua belas": 12,
    "empat belas": 14,
    "dua puluh": 20,
    "tiga puluh": 30,
}

_WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6}

_UNITS = {"menit": timedelta(minutes=1), "jam": timedelta(hours=1)}

_CLOCK = r"(\d{1,2})[.:](\d{2})"
_WINDOW = re.compile(_CLOCK + r"\s*-\s*" + _CLOCK)

_NO_TARGET = {
    "",  # the time column is empty (Lampiran VI)
    "tidak ditentukan",
    "waktu tidak ditentukan",
    "pada jam kerja dan diluar jam kerja",
    "pada jam kerja dan di luar jam kerja",
}
_DEFAULT_WINDOW = {"pada jam kerja", "hari kerja", "setiap hari kerja"}
_IMMEDIATE = {"segera setelah disposisi/penugasan", "segera setelah disposisi", "segera"}

_DURATION = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?\s*(menit|jam)$")
_WORKING_DAYS = re.compile(r"^(\d+)\s*(?:\(([a-z ]+)\)\s*)?hari kerja$")
_DAILY_WINDOW = re.compile(
    r"^(?:setiap )?hari kerja (?:pukul|jam) " + _CLOCK + r"\s*-\s*" + _CLOCK + r"(?: wib)?$"
)


def _normalise(text: str) -> str:
    text = text.casefold().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def _unknown(text: str) -> ValueError:
    return ValueError(
        gettext("Waktu %(text)r tidak dikenali sebagai standar waktu.") % {"text": text}
    )


def _hours_text(h1: str, m1: str, h2: str, m2: str, text: str) -> str:
    hours = f"{int(h1):02d}:{m1}-{int(h2):02d}:{m2}"
    try:
        calendar.parse_hours(hours)
    except ValueError:
        raise _unknown(text) from None
    return hours


@lru_cache(maxsize=256)
def parse_time_standard(text: str) -> TimeStandard:
    """The machine target of a step's "Waktu" text. Raises ValueError on unknown text."""
    if not isinstance(text, str):
        raise TypeError(f"time standard text must be a string, not {type(text).__name__}")
    norm = _normalise(text)

    if norm in _NO_TARGET:
        return TimeStandard(StandardKind.NONE, text)
    if norm in _DEFAULT_WINDOW:
        return TimeStandard(StandardKind.WORKING_HOURS, text, working=True)
    if norm in _IMMEDIATE:
        return TimeStandard(StandardKind.IMMEDIATE, text, working=True)

    if match := _DURATION.match(norm):
        low, high, unit = match.groups()
        minimum = int(low) * _UNITS[unit]
        maximum = int(high) * _UNITS[unit] if high else minimum
        if not timedelta(0) < minimum <= maximum:
            raise _unknown(text)
        return TimeStandard(StandardKind.DURATION, text, minimum=minimum, maximum=maximum)

    if match := _WORKING_DAYS.match(norm):
        count, word = int(match.group(1)), match.group(2)
        if count < 1 or (word is not None and _NUMBER_WORDS.get(word.strip()) != count):
            raise _unknown(text)
        return TimeStandard(
            StandardKind.WORKING_DAYS, text, maximum=timedelta(days=count), working=True
        )

    if match := _DAILY_WINDOW.match(norm):
        hours = _hours_text(*match.groups(), text)
        return TimeStandard(StandardKind.WORKING_HOURS, text, working=True, hours=hours)

    if norm.startswith(("1. pelatihan untuk", "pelatihan untuk")):
        return _parse_schedule(text, norm)

    raise _unknown(text)


def _parse_schedule(text: str, norm: str) -> TimeStandard:
    """ "1. Pelatihan untuk rekanan setiap hari rabu dan kamis jam 09.00-13.00. 2. ..." """
    items = [item.strip(" .") for item in re.split(r"(?:^|\s)\d+\.\s", norm) if item.strip(" .")]
    rules: list[ScheduleRule] = []
    other_days: list[str] = []
    for item in items:
        match = re.match(r"^pelatihan untuk (.+?) (?:setiap|dilaksanakan|pada) (.*)$", item)
        windows = _WINDOW.findall(item)
        if not match or len(windows) != 1:
            raise _unknown(text)
        who, when = match.groups()
        if "rekanan" in who:
            audience = AUDIENCE_VENDOR
        elif any(word in who for word in ("admin agency", "ppk", "panitia")):
            audience = AUDIENCE_AGENCY
        else:
            raise _unknown(text)
        days = tuple(
            _WEEKDAYS[name]
            for name in re.findall(r"\b(" + "|".join(_WEEKDAYS) + r")\b", when.split(" jam ")[0])
        )
        if not days or audience in {rule.audience for rule in rules}:
            raise _unknown(text)
        rules.append(ScheduleRule(audience, days, _hours_text(*windows[0], text)))
        if "atau hari lain" in when:
            other_days.append(audience)
    if not rules:
        raise _unknown(text)
    return TimeStandard(
        StandardKind.SCHEDULE,
        text,
        working=True,
        rules=tuple(rules),
        other_days=tuple(other_days),
    )
