"""The training timetable of SOP 2.4 step 7 and the free-slot search (TRN-2).

The weekdays and hours come from the SOP registry (step 7 of procedure 2.3,
parsed by `lpse.sop.standards`), so a revision of the SOP by the head changes
the timetable: vendor training on Wednesday and Thursday 09:00-13:00, agency
admin/PPK/committee training on Monday, Tuesday and Friday 09:00-15:00 or on
another day the head sets (`DayException`). Never on a day that is not a
working day (national holidays, cuti bersama, local closures). A session
occupies whole hours; each resource hour is a `SlotBooking` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.accounts.models import User
from lpse.core import calendar
from lpse.sop.models import Step
from lpse.sop.standards import ScheduleRule, StandardKind, TimeStandard

from .choices import Audience, BookingKind, ResourceKind
from .models import DayException, SlotBooking, TrainingResource

SCHEDULE_STEP = 7
#: How far ahead the free-slot search looks.
SEARCH_DAYS = 90


class ScheduleError(ValueError):
    """Refused; `message` is Indonesian, `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def timetable() -> TimeStandard:
    """The parsed "Waktu" of SOP 2.3 step 7 (the training timetable)."""
    step = Step.objects.filter(procedure__code="2.3", number=SCHEDULE_STEP).first()
    standard = step.standard if step else None
    if standard is None or standard.kind != StandardKind.SCHEDULE:
        raise ScheduleError(
            gettext("SOP 2.3 langkah 7 tidak memuat jadwal pelatihan; periksa registri SOP.")
        )
    return standard


def rule_for(audience: str, standard: TimeStandard | None = None) -> ScheduleRule:
    standard = standard or timetable()
    for rule in standard.rules:
        if rule.audience == audience:
            return rule
    raise ScheduleError(
        gettext("SOP 2.3 tidak mengatur jadwal pelatihan untuk %(audience)s.")
        % {"audience": Audience(audience).label}
    )


def window(
    audience: str, day: date, standard: TimeStandard | None = None
) -> tuple[datetime, datetime]:
    """The aware start and end of the audience's training window on `day`."""
    hours = calendar.parse_hours(rule_for(audience, standard).hours)
    zone = calendar.local_tz()
    return datetime.combine(day, hours.start, tzinfo=zone), datetime.combine(
        day, hours.end, tzinfo=zone
    )


def weekday_names(weekdays: tuple[int, ...]) -> str:
    names = [
        gettext("Senin"),
        gettext("Selasa"),
        gettext("Rabu"),
        gettext("Kamis"),
        gettext("Jumat"),
        gettext("Sabtu"),
        gettext("Minggu"),
    ]
    return ", ".join(names[day] for day in weekdays)


def day_problem(
    audience: str,
    day: date,
    *,
    exceptions: set[tuple[date, str]] | None = None,
    standard: TimeStandard | None = None,
) -> str | None:
    """Why `audience` cannot be trained on `day`, or None. The timetable and the head's
    (date, audience) exceptions may be passed in to avoid queries per day."""
    standard = standard or timetable()
    rule = rule_for(audience, standard)
    if not calendar.is_working_day(day):
        name = calendar.holiday_name(day)
        if name:
            return gettext("%(day)s hari libur: %(name)s.") % {"day": day.isoformat(), "name": name}
        return gettext("%(day)s bukan hari kerja.") % {"day": day.isoformat()}
    if day.weekday() in rule.weekdays:
        return None
    if standard.allows_other_days(audience):
        if exceptions is None:
            allowed = DayException.objects.filter(date=day, audience=audience).exists()
        else:
            allowed = (day, audience) in exceptions
        if allowed:
            return None
        return gettext(
            "Pelatihan %(audience)s hanya pada hari %(days)s, atau hari lain yang ditetapkan "
            "Kepala LPSE; %(day)s belum ditetapkan."
        ) % {
            "audience": Audience(audience).label,
            "days": weekday_names(rule.weekdays),
            "day": day.isoformat(),
        }
    return gettext("Pelatihan %(audience)s hanya pada hari %(days)s.") % {
        "audience": Audience(audience).label,
        "days": weekday_names(rule.weekdays),
    }


def hours_between(starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """The hour starts a session from `starts_at` to `ends_at` occupies."""
    hours = []
    moment = starts_at
    while moment < ends_at:
        hours.append(moment)
        moment += timedelta(hours=1)
    return hours


def check_times(audience: str, starts_at: datetime, ends_at: datetime) -> None:
    """Raise ScheduleError unless the session fits the SOP timetable (TRN-2)."""
    local_start = starts_at.astimezone(calendar.local_tz())
    local_end = ends_at.astimezone(calendar.local_tz())
    if local_start.date() != local_end.date() or ends_at <= starts_at:
        raise ScheduleError(gettext("Jam selesai harus sesudah jam mulai, di hari yang sama."))
    if local_start.minute or local_end.minute or local_start.second or local_end.second:
        raise ScheduleError(gettext("Jadwal pelatihan disusun per jam penuh (misalnya 09:00)."))
    problem = day_problem(audience, local_start.date())
    if problem:
        raise ScheduleError(problem, "date")
    opens, closes = window(audience, local_start.date())
    if starts_at < opens or ends_at > closes:
        raise ScheduleError(
            gettext("Pelatihan %(audience)s berlangsung dalam jam %(opens)s-%(closes)s.")
            % {
                "audience": Audience(audience).label,
                "opens": f"{opens:%H:%M}",
                "closes": f"{closes:%H:%M}",
            },
            "starts_at",
        )


def clashes(hours: list[datetime], *, room_id: int, server_id: int, trainer_id: int) -> list[str]:
    """Indonesian descriptions of the resources already booked in any of `hours`."""
    wanted = {
        (BookingKind.ROOM, room_id): gettext("Ruang pelatihan"),
        (BookingKind.SERVER, server_id): gettext("Server latihan"),
        (BookingKind.TRAINER, trainer_id): gettext("Pelatih"),
    }
    taken = (
        SlotBooking.objects.filter(starts_at__in=hours, kind__in=[k for k, _ in wanted])
        .filter(resource_id__in={pk for _, pk in wanted})
        .values_list("kind", "resource_id", "starts_at")
    )
    problems: dict[str, datetime] = {}
    for kind, resource_id, starts_at in taken:
        label = wanted.get((kind, resource_id))
        if label and label not in problems:
            problems[label] = starts_at
    return [
        gettext("%(what)s sudah terpakai pada %(when)s.")
        % {"what": label, "when": f"{starts_at.astimezone(calendar.local_tz()):%d-%m-%Y %H:%M}"}
        for label, starts_at in problems.items()
    ]


@dataclass(frozen=True)
class Slot:
    """A free, valid training slot: a whole window with a room, a server and a trainer."""

    day: date
    starts_at: datetime
    ends_at: datetime
    room: TrainingResource
    server: TrainingResource
    trainer: User
    exception: bool = False


def trainers():
    return (
        User.objects.filter(is_active=True, role_rows__role=Role.TRAINER)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def propose_slots(
    audience: str,
    *,
    start: date,
    count: int = 3,
    room: TrainingResource | None = None,
    server: TrainingResource | None = None,
    trainer: User | None = None,
    days: int = SEARCH_DAYS,
) -> list[Slot]:
    """The next `count` valid days from `start` on which the audience's whole window is free
    for a room, a training server and a trainer (the given ones, or any active one).
    A fixed number of queries whatever the range (bookings read once)."""
    standard = timetable()
    rooms = (
        [room]
        if room
        else list(TrainingResource.objects.filter(kind=ResourceKind.ROOM, is_active=True))
    )
    servers = (
        [server]
        if server
        else list(TrainingResource.objects.filter(kind=ResourceKind.SERVER, is_active=True))
    )
    people = [trainer] if trainer else list(trainers())
    if not (rooms and servers and people):
        return []
    end = start + timedelta(days=days)
    exceptions = set(
        DayException.objects.filter(date__gte=start, date__lte=end, audience=audience).values_list(
            "date", "audience"
        )
    )
    first, _ = window(audience, start, standard)
    last, _ = window(audience, end, standard)
    booked = set(
        SlotBooking.objects.filter(
            starts_at__gte=first - timedelta(hours=24), starts_at__lte=last
        ).values_list("kind", "resource_id", "starts_at")
    )
    slots: list[Slot] = []
    with calendar.one_reading():
        day = start
        while day <= end and len(slots) < count:
            if day_problem(audience, day, exceptions=exceptions, standard=standard) is None:
                opens, closes = window(audience, day, standard)
                hours = hours_between(opens, closes)

                def free(kind: str, pk: int, hours=hours) -> bool:
                    return not any((kind, pk, hour) in booked for hour in hours)

                pick_room = next((r for r in rooms if free(BookingKind.ROOM, r.pk)), None)
                pick_server = next((s for s in servers if free(BookingKind.SERVER, s.pk)), None)
                pick_trainer = next((p for p in people if free(BookingKind.TRAINER, p.pk)), None)
                if pick_room and pick_server and pick_trainer:
                    rule = rule_for(audience, standard)
                    slots.append(
                        Slot(
                            day,
                            opens,
                            closes,
                            pick_room,
                            pick_server,
                            pick_trainer,
                            exception=day.weekday() not in rule.weekdays,
                        )
                    )
            day += timedelta(days=1)
    return slots


def local_day_start(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=calendar.local_tz())
