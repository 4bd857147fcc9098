"""Pages of the SOP registry (SOP-1) and the service levels (SOP-3)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

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

from . import content as docs
from . import selectors, services
from .forms import MonthForm, ProcedureForm, StepFormSet
from .models import Procedure

EDITOR_ROLES = (Role.HEAD,)
SERVICE_LEVEL_ROLES = (Role.HEAD, Role.APPADMIN, Role.SYSADMIN, Role.HELPDESK, Role.VERIFIER)
AT_RISK_MARGIN = timedelta(hours=2)


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


def _month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    tz = local_tz()
    return (
        dt.datetime.combine(first, dt.time(0), tzinfo=tz),
        dt.datetime.combine(following, dt.time(0), tzinfo=tz),
    )


@role_required(*SERVICE_LEVEL_ROLES)
@require_GET
def service_levels(request: HttpRequest) -> HttpResponse:
    """Running steps about to miss or past their target, and compliance for a month (SOP-3)."""
    now = timezone.now()
    form = MonthForm(request.GET or None)
    if request.GET and not form.is_valid():
        month, status = timezone.localdate().replace(day=1), 400
    else:
        month = form.cleaned_data["bulan"] if request.GET else timezone.localdate().replace(day=1)
        status = 200
    start, end = _month_bounds(month)
    at_risk = list(selectors.running_steps_at_risk(now, within=AT_RISK_MARGIN))
    return render(
        request,
        "sop/service_levels.html",
        {
            "form": form,
            "month": month,
            "now": now,
            "margin_hours": int(AT_RISK_MARGIN.total_seconds() // 3600),
            "at_risk": [(run, run.due_at < now) for run in at_risk],
            "compliance": selectors.compliance_by_procedure(start, end),
        },
        status=status,
    )
