"""Reads of the SOP app: the registry, cases of a subject, service levels (SOP-1..3)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from lpse.core.calendar import one_reading, working_seconds_between

from . import content as docs
from .choices import CaseStatus
from .models import Case, Procedure, ProcedureRevision, Step, StepRun

# --- Registry ---------------------------------------------------------------------------


def procedures_by_chapter() -> list[tuple[str, str, list[Procedure]]]:
    """(chapter, chapter title, procedures) in appendix order, with step counts; one query."""
    procedures = Procedure.objects.annotate(step_count=Count("steps")).order_by("code")
    chapters: dict[str, tuple[str, str, list[Procedure]]] = {}
    for procedure in procedures:
        entry = chapters.setdefault(
            procedure.chapter, (procedure.chapter, procedure.chapter_title, [])
        )
        entry[2].append(procedure)
    return list(chapters.values())


def get_procedure(code: str) -> Procedure:
    try:
        return Procedure.objects.select_related("updated_by").get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None


def steps_of(procedure: Procedure) -> list[Step]:
    return list(procedure.steps.order_by("number"))


@dataclass(frozen=True)
class RevisionView:
    revision: ProcedureRevision
    changes: list[docs.Change]


def revision_history(procedure: Procedure) -> list[RevisionView]:
    """Every revision, newest first, each with its changes against the one before; one query."""
    revisions = list(
        ProcedureRevision.objects.filter(procedure=procedure)
        .select_related("created_by")
        .order_by("number")
    )
    views = []
    previous = None
    for revision in revisions:
        changes = docs.diff(previous.content, revision.content) if previous else []
        views.append(RevisionView(revision, changes))
        previous = revision
    return list(reversed(views))


# --- Cases of a subject -------------------------------------------------------------------


def cases_for(subject) -> QuerySet[Case]:
    """The cases of any model instance, newest first."""
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return (
        Case.objects.filter(content_type=content_type, object_id=str(subject.pk))
        .select_related("procedure")
        .order_by("-opened_at", "-pk")
    )


class HasSopCase:
    """Mixin for a workflow model that follows one SOP: declare `SOP_CODE = "3.5"`.

    Gives `sop_cases` (all its cases of that SOP), `sop_case` (the open one,
    else the latest, else None) and `open_sop_case(by=..., title=...)`.
    """

    SOP_CODE: str = ""

    @property
    def sop_cases(self) -> QuerySet[Case]:
        return cases_for(self).filter(procedure__code=self.SOP_CODE)

    @property
    def sop_case(self) -> Case | None:
        cases = list(self.sop_cases[:20])
        for case in cases:
            if case.status == CaseStatus.OPEN:
                return case
        return cases[0] if cases else None

    def open_sop_case(self, *, by, title: str = "") -> Case:
        from .services import open_case

        if not self.SOP_CODE:
            raise TypeError(f"{type(self).__name__} must declare SOP_CODE")
        return open_case(self.SOP_CODE, subject=self, by=by, title=title)


def runs_of(case: Case) -> list[StepRun]:
    return list(
        case.runs.select_related("step", "started_by", "ended_by").order_by("started_at", "pk")
    )


# --- Service levels (SOP-3) ------------------------------------------------------------------


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
        .select_related("case__procedure", "step", "started_by")
        .order_by("due_at", "pk")
    )


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


@dataclass(frozen=True)
class StepCompliance:
    step: Step
    count: int  # finished runs in the period
    within: int  # of them, finished by their deadline
    with_target: int  # of them, with a deadline at all
    median: timedelta | None
    p90: timedelta | None

    @property
    def share(self) -> float | None:
        """Share (0..1) of finished runs within standard; None when the step has no target."""
        return self.within / self.with_target if self.with_target else None

    @property
    def percent(self) -> float | None:
        share = self.share
        return None if share is None else share * 100

    @property
    def median_text(self) -> str:
        return format_duration(self.median)

    @property
    def p90_text(self) -> str:
        return format_duration(self.p90)


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


def _compliance(step: Step, runs: list[StepRun]) -> StepCompliance:
    durations = sorted(run_duration(run) for run in runs)
    targeted = [run for run in runs if run.due_at is not None]
    return StepCompliance(
        step=step,
        count=len(runs),
        within=sum(1 for run in targeted if run.ended_at <= run.due_at),
        with_target=len(targeted),
        median=statistics.median(durations) if durations else None,
        p90=percentile(durations, 0.9) if durations else None,
    )


def _finished_runs(start: datetime, end: datetime) -> QuerySet[StepRun]:
    return StepRun.objects.filter(ended_at__gte=start, ended_at__lt=end).only(
        "step_id", "started_at", "ended_at", "due_at"
    )


def step_compliance(procedure: Procedure, start: datetime, end: datetime) -> list[StepCompliance]:
    """Per step of `procedure`: runs finished in [start, end), share within standard, median
    and p90 duration. Two queries, plus one per calendar year read for working time."""
    steps = steps_of(procedure)
    runs: dict[int, list[StepRun]] = defaultdict(list)
    for run in _finished_runs(start, end).filter(step__procedure=procedure):
        runs[run.step_id].append(run)
    by_id = {step.pk: step for step in steps}
    for step_id, items in runs.items():
        for run in items:
            run.step = by_id[step_id]
    with one_reading():
        return [_compliance(step, runs[step.pk]) for step in steps]


@dataclass(frozen=True)
class ProcedureCompliance:
    procedure: Procedure
    steps: list[StepCompliance]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.steps)

    @property
    def share(self) -> float | None:
        with_target = sum(item.with_target for item in self.steps)
        if not with_target:
            return None
        return sum(item.within for item in self.steps) / with_target

    @property
    def percent(self) -> float | None:
        share = self.share
        return None if share is None else share * 100


def compliance_by_procedure(start: datetime, end: datetime) -> list[ProcedureCompliance]:
    """Every procedure with steps finished in [start, end), the steps that ran; one query."""
    runs: dict[int, list[StepRun]] = defaultdict(list)
    steps: dict[int, Step] = {}
    queryset = _finished_runs(start, end).select_related("step__procedure")
    for run in queryset.only(
        "step_id",
        "started_at",
        "ended_at",
        "due_at",
        "step__number",
        "step__group",
        "step__time_text",
        "step__standard_working",
        "step__standard_hours",
        "step__procedure__code",
        "step__procedure__title",
        "step__procedure__activity",
    ):
        runs[run.step_id].append(run)
        steps[run.step_id] = run.step
    grouped: dict[int, list[StepCompliance]] = defaultdict(list)
    procedures: dict[int, Procedure] = {}
    with one_reading():
        for step_id, step in sorted(steps.items(), key=lambda item: item[1].number):
            procedures[step.procedure_id] = step.procedure
            grouped[step.procedure_id].append(_compliance(step, runs[step_id]))
    return [
        ProcedureCompliance(procedures[pk], grouped[pk])
        for pk in sorted(procedures, key=lambda pk: procedures[pk].code)
    ]
