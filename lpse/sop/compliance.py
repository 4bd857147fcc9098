"""Service levels (SOP-3): how the finished steps of a period met their time standard,
per SOP, per step and per officer, and which running steps are late or about to be.

A run counts in the period in which it finished (`ended_at` in [start, end)).
It is within standard when it finished by its deadline (`due_at`, fixed from
the step's time standard when it started); a run without a deadline (the
step has no target) counts in the number of cases and in the durations but
not in the share. Durations are working time (on the LPSE calendar, within
the standard's hours) when the standard is measured in working time, elapsed
time otherwise (`run_duration`). The median and p90 interpolate between the
closest ranks (`percentile`).

The officer of a finished run is the one who finished it (`ended_by`), else
the one who started it; of a running one, the one who started it.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext

from lpse.core.calendar import one_reading, working_seconds_between

from .choices import CaseStatus
from .links import CaseLink
from .models import Procedure, Step, StepRun
from .standards import StandardKind

#: Standards that give a run a deadline.
TARGET_KINDS = frozenset(
    {
        StandardKind.DURATION,
        StandardKind.WORKING_DAYS,
        StandardKind.WORKING_HOURS,
        StandardKind.IMMEDIATE,
    }
)

_USER_FIELDS = ("_id", "__username", "__first_name", "__last_name")


# --- Measuring ---------------------------------------------------------------------------


def run_duration(run: StepRun) -> timedelta:
    """How long a finished run took: working time when its standard is measured in
    working time (on the calendar, within the standard's hours), elapsed time otherwise."""
    if run.step.standard_working:
        seconds = working_seconds_between(
            run.started_at, run.ended_at, run.step.standard_hours or None
        )
        return timedelta(seconds=seconds)
    return run.ended_at - run.started_at


def percentile(sorted_values: list[timedelta], share: float) -> timedelta:
    """Linear interpolation between closest ranks (the "inclusive" method, as numpy's default):
    position (n - 1) * share in the sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def format_duration(value: timedelta | None) -> str:
    """ "2 jam 5 menit", "45 menit", "30 detik"; "-" for None."""
    if value is None:
        return "-"
    seconds = round(value.total_seconds())
    if seconds < 60:
        return gettext("%(n)d detik") % {"n": seconds}
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = []
    if hours:
        parts.append(gettext("%(n)d jam") % {"n": hours})
    if minutes or not hours:
        parts.append(gettext("%(n)d menit") % {"n": minutes})
    return " ".join(parts)


def person_name(user) -> str:
    if user is None:
        return gettext("(tanpa petugas)")
    return user.get_full_name() or user.username


@dataclass(frozen=True, slots=True)
class Officer:
    """Who finished a run (else who started it), as the report names them."""

    pk: int
    name: str


def officer_name(officer: Officer | None) -> str:
    return officer.name if officer is not None else gettext("(tanpa petugas)")


@dataclass(frozen=True, slots=True)
class CaseRef:
    """The case of a finished run, as far as the report shows and links it."""

    pk: int
    title: str
    object_id: str
    content_type_id: int
    content_type: ContentType

    def __str__(self) -> str:
        return self.title or gettext("Kasus SOP #%(pk)s") % {"pk": self.pk}


@dataclass(frozen=True, slots=True)
class FinishedRun:
    """A finished run read as plain values: the report measures tens of thousands of them,
    and building model instances (run, case, content type, two users) would cost more than
    the working-time arithmetic."""

    pk: int
    step: Step
    started_at: datetime
    ended_at: datetime
    due_at: datetime | None
    case: CaseRef
    officer: Officer | None

    @property
    def within_standard(self) -> bool | None:
        return None if self.due_at is None else self.ended_at <= self.due_at


@dataclass(frozen=True)
class Measured:
    """One finished run with its duration, whether it met its deadline, and its case's link."""

    run: FinishedRun | StepRun
    duration: timedelta
    url: str | None = None

    @property
    def within(self) -> bool | None:
        return self.run.within_standard

    @property
    def officer(self) -> Officer | None:
        return self.run.officer

    @property
    def officer_name(self) -> str:
        return officer_name(self.officer)

    @property
    def duration_text(self) -> str:
        return format_duration(self.duration)

    @property
    def overrun(self) -> timedelta:
        """How long after its deadline it finished (elapsed time)."""
        return self.run.ended_at - self.run.due_at

    @property
    def case(self):
        return self.run.case


@dataclass(frozen=True, kw_only=True)
class Numbers:
    """Finished runs of a group: how many, how many within standard, median and p90."""

    count: int  # finished runs in the period
    within: int  # of them, finished by their deadline
    with_target: int  # of them, with a deadline at all
    median: timedelta | None
    p90: timedelta | None

    @property
    def share(self) -> float | None:
        """Share (0..1) of finished runs within standard; None when none had a target."""
        return self.within / self.with_target if self.with_target else None

    @property
    def percent(self) -> float | None:
        share = self.share
        return None if share is None else share * 100

    @property
    def missed_count(self) -> int:
        return self.with_target - self.within

    @property
    def median_text(self) -> str:
        return format_duration(self.median)

    @property
    def p90_text(self) -> str:
        return format_duration(self.p90)


def _numbers(items: list[Measured]) -> dict:
    durations = sorted(item.duration for item in items)
    verdicts = [item.within for item in items]
    return {
        "count": len(items),
        "within": sum(1 for verdict in verdicts if verdict is True),
        "with_target": sum(1 for verdict in verdicts if verdict is not None),
        "median": statistics.median(durations) if durations else None,
        "p90": percentile(durations, 0.9) if durations else None,
    }


@dataclass(frozen=True, kw_only=True)
class OfficerCompliance(Numbers):
    officer: Officer | None  # None for runs nobody started or finished by name

    @property
    def name(self) -> str:
        return officer_name(self.officer)


@dataclass(frozen=True, kw_only=True)
class StepCompliance(Numbers):
    step: Step
    #: Per officer, by name (empty when not asked for).
    officers: tuple[OfficerCompliance, ...] = ()
    #: The runs that missed their deadline, earliest finish first (empty when not asked for).
    missed: tuple[Measured, ...] = ()

    @property
    def has_target(self) -> bool:
        """The step's standard sets a deadline (or some run of the period had one)."""
        return self.step.standard_kind in TARGET_KINDS or self.with_target > 0


def _step_row(step: Step, items: list[Measured], *, detail: bool) -> StepCompliance:
    if not detail:
        return StepCompliance(step=step, **_numbers(items))
    by_officer: dict[int | None, list[Measured]] = defaultdict(list)
    for item in items:
        officer = item.officer
        by_officer[officer.pk if officer is not None else None].append(item)
    officers = [
        OfficerCompliance(officer=group[0].officer, **_numbers(group))
        for group in by_officer.values()
    ]
    officers.sort(key=lambda row: (row.officer is None, row.name.casefold()))
    missed = sorted(
        (item for item in items if item.within is False),
        key=lambda item: (item.run.ended_at, item.run.pk),
    )
    return StepCompliance(
        step=step, officers=tuple(officers), missed=tuple(missed), **_numbers(items)
    )


@dataclass(frozen=True)
class ProcedureCompliance:
    """One SOP in a period: its step rows and the overall share within standard.

    `within_share` (0..1, None when no finished run had a target) is the share
    of all its finished runs with a deadline that met it.
    """

    procedure: Procedure
    steps: list[StepCompliance]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.steps)

    @property
    def within(self) -> int:
        return sum(item.within for item in self.steps)

    @property
    def with_target(self) -> int:
        return sum(item.with_target for item in self.steps)

    @property
    def within_share(self) -> float | None:
        with_target = self.with_target
        return self.within / with_target if with_target else None

    @property
    def share(self) -> float | None:
        return self.within_share

    @property
    def percent(self) -> float | None:
        share = self.within_share
        return None if share is None else share * 100

    @property
    def missed_count(self) -> int:
        return self.with_target - self.within


# --- Reading -----------------------------------------------------------------------------


def _finished_runs(start: datetime, end: datetime) -> QuerySet[StepRun]:
    return StepRun.objects.filter(ended_at__gte=start, ended_at__lt=end).only(
        "step_id", "started_at", "ended_at", "due_at"
    )


_ROW_FIELDS = (
    "pk",
    "step_id",
    "started_at",
    "ended_at",
    "due_at",
    "case_id",
    "case__title",
    "case__object_id",
    "case__content_type_id",
    "case__content_type__app_label",
    "case__content_type__model",
    *(f"{who}{field}" for who in ("ended_by", "started_by") for field in _USER_FIELDS),
)


def _finished_rows(start: datetime, end: datetime, steps: dict[int, Step]) -> list[FinishedRun]:
    """Finished runs in [start, end) with their case and officer, as values; one query."""
    officers: dict[int, Officer] = {}
    content_types: dict[int, ContentType] = {}

    def officer(pk, username, first, last) -> Officer | None:
        if pk is None:
            return None
        found = officers.get(pk)
        if found is None:
            found = officers[pk] = Officer(pk, f"{first} {last}".strip() or username)
        return found

    rows = []
    values = (
        StepRun.objects.filter(ended_at__gte=start, ended_at__lt=end)
        .order_by()
        .values_list(*_ROW_FIELDS)
    )
    for (
        pk,
        step_id,
        started,
        ended,
        due,
        case_id,
        title,
        object_id,
        ct_id,
        app,
        model,
        *who,
    ) in values:
        content_type = content_types.get(ct_id)
        if content_type is None:
            content_type = content_types[ct_id] = ContentType(id=ct_id, app_label=app, model=model)
        case = CaseRef(case_id, title, object_id, ct_id, content_type)
        rows.append(
            FinishedRun(
                pk,
                steps[step_id],
                started,
                ended,
                due,
                case,
                officer(*who[:4]) or officer(*who[4:]),
            )
        )
    return rows


def _with_steps(runs: Iterable[StepRun], steps: dict[int, Step]) -> Iterator[StepRun]:
    for run in runs:
        run.step = steps[run.step_id]
        yield run


def _measure(runs: Iterable[FinishedRun | StepRun], link: CaseLink | None):
    """Runs (each with its step) grouped by step id and measured; call inside
    `one_reading()`."""
    grouped: dict[int, list[Measured]] = defaultdict(list)
    for run in runs:
        missed = run.within_standard is False
        url = link(run.case) if link is not None and missed else None  # only missed runs show
        grouped[run.step.pk].append(Measured(run, run_duration(run), url))
    return grouped


def step_compliance(procedure: Procedure, start: datetime, end: datetime) -> list[StepCompliance]:
    """Per step of `procedure`: runs finished in [start, end), share within standard, median
    and p90 duration. Two queries, plus one per calendar year read for working time."""
    steps = {step.pk: step for step in procedure.steps.order_by("number")}
    runs = _finished_runs(start, end).filter(step__procedure=procedure)
    with one_reading():
        grouped = _measure(_with_steps(runs, steps), None)
        return [_step_row(step, grouped[pk], detail=False) for pk, step in steps.items()]


def compliance_by_procedure(start: datetime, end: datetime) -> list[ProcedureCompliance]:
    """Every procedure with steps finished in [start, end), with the steps that ran (by
    number), in code order; each has `procedure`, `steps` and `within_share` (0..1 or
    None). One query, plus one per calendar year read for working time. The head's
    monthly summary reads its headline from here."""
    queryset = _finished_runs(start, end).select_related("step__procedure")
    steps: dict[int, Step] = {}
    runs = []
    for run in queryset.only(
        "step_id",
        "started_at",
        "ended_at",
        "due_at",
        "step__number",
        "step__group",
        "step__time_text",
        "step__standard_kind",
        "step__standard_working",
        "step__standard_hours",
        "step__procedure__code",
        "step__procedure__title",
        "step__procedure__activity",
    ):
        steps.setdefault(run.step_id, run.step)
        runs.append(run)
    grouped_steps: dict[int, list[StepCompliance]] = defaultdict(list)
    procedures: dict[int, Procedure] = {}
    with one_reading():
        grouped = _measure(_with_steps(runs, steps), None)
        for pk, step in sorted(steps.items(), key=lambda item: item[1].number):
            procedures[step.procedure_id] = step.procedure
            grouped_steps[step.procedure_id].append(_step_row(step, grouped[pk], detail=False))
    return [
        ProcedureCompliance(procedures[pk], grouped_steps[pk])
        for pk in sorted(procedures, key=lambda pk: procedures[pk].code)
    ]


@dataclass(frozen=True)
class ComplianceReport:
    """The SOP-3 report of a period: every SOP that had finished steps, with all its steps
    (each with officers and missed runs), and the SOPs that had none."""

    procedures: list[ProcedureCompliance]
    idle: list[Procedure]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.procedures)


def compliance_report(
    start: datetime, end: datetime, *, link: CaseLink | None = None
) -> ComplianceReport:
    """The report for [start, end): two queries (steps, runs), plus one per calendar year
    read for working time, however many runs, officers and subjects. `link` (see
    `links.case_links`) gives the missed runs their case's URL."""
    steps = {
        step.pk: step
        for step in Step.objects.select_related("procedure").order_by("procedure__code", "number")
    }
    with one_reading():
        grouped = _measure(_finished_rows(start, end, steps), link)
        by_procedure: dict[int, list[StepCompliance]] = defaultdict(list)
        procedures: dict[int, Procedure] = {}
        for pk, step in steps.items():
            procedures.setdefault(step.procedure_id, step.procedure)
            by_procedure[step.procedure_id].append(_step_row(step, grouped[pk], detail=True))
    active, idle = [], []
    for pk, procedure in procedures.items():
        rows = by_procedure[pk]
        if any(row.count for row in rows):
            active.append(ProcedureCompliance(procedure, rows))
        else:
            idle.append(procedure)
    return ComplianceReport(active, idle)


# --- Live: running steps at risk -----------------------------------------------------------


def running_steps_at_risk(now: datetime, within: timedelta = timedelta(hours=2)) -> QuerySet:
    """Running steps of open cases whose deadline has passed or falls within `within` of `now`,
    earliest deadline first; one query (uses the partial index on running steps' due_at)."""
    return (
        StepRun.objects.filter(
            ended_at__isnull=True,
            due_at__isnull=False,
            due_at__lte=now + within,
            case__status=CaseStatus.OPEN,
        )
        .select_related("case__procedure", "case__content_type", "step", "started_by")
        .order_by("due_at", "pk")
    )


@dataclass(frozen=True)
class AtRisk:
    """A running step late or about to be: when it is due and how long is left (negative:
    how long it is overdue), in elapsed time."""

    run: StepRun
    now: datetime
    url: str | None

    @property
    def late(self) -> bool:
        return self.run.due_at <= self.now

    @property
    def left(self) -> timedelta:
        return self.run.due_at - self.now

    @property
    def officer_name(self) -> str:
        return person_name(self.run.started_by)


def steps_at_risk(
    now: datetime, within: timedelta, *, link: CaseLink | None = None
) -> list[AtRisk]:
    """`running_steps_at_risk` with each case's link; one query."""
    return [
        AtRisk(run, now, link(run.case) if link is not None else None)
        for run in running_steps_at_risk(now, within)
    ]
