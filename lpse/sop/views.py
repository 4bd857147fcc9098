"""Pages of the SOP registry (SOP-1) and the service levels (SOP-3)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from lpse.accounts.choices import Role
from lpse.core.access import role_required, user_has_any_role
from lpse.core.calendar import local_tz
from lpse.reports import exports

from . import content as docs
from . import selectors, services
from .forms import PeriodForm, ProcedureForm, StepFormSet
from .links import case_links
from .models import Procedure
from .periods import Period, PeriodKind

EDITOR_ROLES = (Role.HEAD,)
SERVICE_LEVEL_ROLES = (Role.HEAD, Role.APPADMIN, Role.SYSADMIN, Role.HELPDESK, Role.VERIFIER)
AT_RISK_MARGIN = timedelta(hours=2)
#: Missed runs listed per step on the page (the CSV and the count give the rest).
MISSED_SHOWN = 50


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    """Every SOP of the appendix, grouped by chapter (public)."""
    return render(request, "sop/list.html", {"chapters": selectors.procedures_by_chapter()})


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One SOP laid out like the appendix: header table, then the flow table (public)."""
    procedure = selectors.get_procedure(code)
    related = {
        item.code: item
        for item in Procedure.objects.filter(code__in=procedure.related_codes).only(
            "code", "title", "activity"
        )
    }
    return render(
        request,
        "sop/detail.html",
        {
            "procedure": procedure,
            "steps": selectors.steps_of(procedure),
            "related": [(code, related.get(code)) for code in procedure.related_codes],
            "can_edit": user_has_any_role(request.user, EDITOR_ROLES),
        },
    )


def _new_numbers(existing: list[int]):
    number = max(existing, default=0)
    while True:
        number += 1
        yield number


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def procedure_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The head edits a procedure; saving makes a new revision (SOP-1)."""
    procedure = selectors.get_procedure(code)
    current = docs.procedure_content(procedure)
    if request.method == "POST":
        form = ProcedureForm(request.POST)
        formset = StepFormSet(request.POST, prefix="langkah")
        if form.is_valid() and formset.is_valid():
            numbers = _new_numbers([step["number"] for step in current["steps"]])
            steps = []
            for step_form in formset:
                data = step_form.cleaned_data
                if not data or data.get("DELETE"):
                    continue
                steps.append(step_form.step(data.get("number") or next(numbers)))
            data = current | form.header() | {"steps": steps}
            try:
                revision = services.revise_procedure(
                    procedure, data=data, note=form.cleaned_data["revision_note"], by=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    gettext("SOP %(code)s disimpan sebagai revisi %(number)s.")
                    % {"code": procedure.code, "number": revision.number},
                )
                return redirect("sop:detail", code=procedure.code)
        status = 400
    else:
        form = ProcedureForm(initial=ProcedureForm.initial_from(current))
        formset = StepFormSet(
            initial=[StepFormSet.form.initial_from(step) for step in current["steps"]],
            prefix="langkah",
        )
        status = 200
    return render(
        request,
        "sop/edit.html",
        {"procedure": procedure, "form": form, "formset": formset},
        status=status,
    )


@require_GET
def procedure_revisions(request: HttpRequest, code: str) -> HttpResponse:
    """Every revision of a procedure with who, when, note and the changes (SOP-1)."""
    procedure = selectors.get_procedure(code)
    return render(
        request,
        "sop/revisions.html",
        {"procedure": procedure, "history": selectors.revision_history(procedure)},
    )


def _period(request: HttpRequest) -> tuple[PeriodForm, Period, int]:
    """The form, the period asked for (the current month when the input is bad) and the
    status: 400 with the form's Indonesian errors for bad input."""
    form = PeriodForm(request.GET or None)
    if not request.GET:
        return form, Period.containing(PeriodKind.MONTH, timezone.localdate()), 200
    if not form.is_valid():
        return form, Period.containing(PeriodKind.MONTH, timezone.localdate()), 400
    return form, form.cleaned_data["period"], 200


def _period_query(period: Period | None) -> str:
    if period is None:
        return ""
    return "?" + urlencode({"jenis": period.kind, "periode": period.code})


def _at_risk_context(request: HttpRequest) -> dict:
    now = timezone.now()
    return {
        "now": now,
        "margin_hours": int(AT_RISK_MARGIN.total_seconds() // 3600),
        "at_risk": selectors.steps_at_risk(now, AT_RISK_MARGIN, link=case_links(request.user)),
    }


@role_required(*SERVICE_LEVEL_ROLES)
@require_GET
def service_levels(request: HttpRequest) -> HttpResponse:
    """Running steps late or about to be, and compliance per SOP, step and officer for a
    month, quarter or year with the cases that missed their standard (SOP-3)."""
    form, period, status = _period(request)
    start, end = period.bounds()
    report = selectors.compliance_report(start, end, link=case_links(request.user))
    return render(
        request,
        "sop/service_levels.html",
        {
            "form": form,
            "period": period,
            "previous_query": _period_query(period.previous()),
            "next_query": _period_query(period.next()),
            "this_query": _period_query(period),
            "period_kinds": [
                (kind, label, _period_query(Period.containing(kind, timezone.localdate())))
                for kind, label in PeriodKind.choices
            ],
            "report": report,
            "missed_shown": MISSED_SHOWN,
            "missed_slice": f":{MISSED_SHOWN}",
            **_at_risk_context(request),
        },
        status=status,
    )


@role_required(*SERVICE_LEVEL_ROLES)
@require_GET
def service_levels_running(request: HttpRequest) -> HttpResponse:
    """The live list alone, for the page's periodic refresh (htmx)."""
    return render(request, "sop/includes/at_risk.html", _at_risk_context(request))


def _csv_rows(report: selectors.ComplianceReport, period: Period, request: HttpRequest):
    yield [
        gettext("Periode"),
        gettext("SOP"),
        gettext("Langkah"),
        gettext("Waktu (standar)"),
        gettext("Petugas"),
        gettext("Selesai"),
        gettext("Dengan target"),
        gettext("Dalam standar"),
        gettext("Persen dalam standar"),
        gettext("Median (menit)"),
        gettext("p90 (menit)"),
    ]

    def numbers(row) -> list:
        return [
            row.count,
            row.with_target,
            row.within,
            "" if row.percent is None else f"{row.percent:.1f}",
            "" if row.median is None else f"{row.median.total_seconds() / 60:.1f}",
            "" if row.p90 is None else f"{row.p90.total_seconds() / 60:.1f}",
        ]

    for item in report.procedures:
        for row in item.steps:
            head = [period.code, item.procedure.code, row.step.label, row.step.time_text]
            yield [*head, gettext("(semua petugas)"), *numbers(row)]
            for officer in row.officers:
                yield [*head, officer.name, *numbers(officer)]


def _csv_response(request: HttpRequest, name: str, rows) -> HttpResponse:
    """A CSV of the period asked for, streamed; 400 with the Indonesian errors for bad input."""
    form, period, status = _period(request)
    if status != 200:
        return HttpResponse(
            "\n".join(str(error) for errors in form.errors.values() for error in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start, end = period.bounds()
    report = selectors.compliance_report(start, end, link=case_links(request.user))
    lines = rows(report, period, request)
    header = next(lines)
    return exports.csv_response(exports.csv_stream(header, lines), f"{name}-{period.code}.csv")


def _missed_rows(report: selectors.ComplianceReport, period: Period, request: HttpRequest):
    yield [
        gettext("Periode"),
        gettext("SOP"),
        gettext("Langkah"),
        gettext("Waktu (standar)"),
        gettext("Kasus"),
        gettext("Petugas"),
        gettext("Mulai (WIB)"),
        gettext("Batas waktu (WIB)"),
        gettext("Selesai (WIB)"),
        gettext("Durasi (menit)"),
        gettext("Tautan"),
    ]
    tz = local_tz()
    for item in report.procedures:
        for row in item.steps:
            for missed in row.missed:
                run = missed.run
                yield [
                    period.code,
                    item.procedure.code,
                    row.step.label,
                    row.step.time_text,
                    str(missed.case),
                    missed.officer_name,
                    *(
                        f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"
                        for moment in (run.started_at, run.due_at, run.ended_at)
                    ),
                    f"{missed.duration.total_seconds() / 60:.1f}",
                    request.build_absolute_uri(missed.url) if missed.url else "",
                ]


@role_required(*SERVICE_LEVEL_ROLES)
@require_GET
def service_levels_csv(request: HttpRequest) -> HttpResponse:
    """The per-step and per-officer table of a period as CSV (SOP-3)."""
    return _csv_response(request, "kepatuhan-sop", _csv_rows)


@role_required(*SERVICE_LEVEL_ROLES)
@require_GET
def service_levels_missed_csv(request: HttpRequest) -> HttpResponse:
    """Every run of a period that missed its standard, with its case's link, as CSV (SOP-3)."""
    return _csv_response(request, "kasus-terlewat-sop", _missed_rows)
