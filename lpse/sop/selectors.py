"""Reads of the SOP app: the registry, cases of a subject, service levels (SOP-1..3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.http import Http404

from . import content as docs
from .choices import CaseStatus

# The service levels (SOP-3) live in `compliance`; their names stay importable from here.
from .compliance import (
    ComplianceReport,  # noqa: F401
    ProcedureCompliance,  # noqa: F401
    StepCompliance,  # noqa: F401
    compliance_by_procedure,  # noqa: F401
    compliance_report,  # noqa: F401
    format_duration,  # noqa: F401
    percentile,  # noqa: F401
    run_duration,  # noqa: F401
    running_steps_at_risk,  # noqa: F401
    step_compliance,  # noqa: F401
    steps_at_risk,  # noqa: F401
)
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
