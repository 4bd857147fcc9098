"""Server-room access pages: request, decide, entry/exit, period report (INF-1)."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lpse.core.access import role_required

from . import selectors, visit_services
from .forms import DecisionForm, PeriodForm, VisitForm


@role_required(*selectors.VISIT_REQUEST_ROLES)
def visit_list(request):
    visits = selectors.visits_for(request.user)
    return render(
        request,
        "facility/visits.html",
        {
            "waiting": list(visits.filter(status="requested")[:100]),
            "approved": list(visits.filter(status__in=["approved", "inside"])[:100]),
            "recent": list(visits.exclude(status__in=["requested", "approved", "inside"])[:50]),
            "can_report": request.user.has_role(*selectors.VISIT_REPORT_ROLES),
        },
    )


@role_required(*selectors.VISIT_REQUEST_ROLES)
@require_http_methods(["GET", "POST"])
def visit_new(request):
    form = VisitForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = visit_services.request_visit(
                    visitor=request.user if data["for_self"] else None,
                    visitor_name=data["visitor_name"],
                    identity_type=data["identity_type"],
                    identity_number=data["identity_number"],
                    organisation=data["organisation"],
                    purpose=data["purpose"],
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                    by=request.user,
                    request=request,
                )
            except visit_services.VisitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Permohonan tercatat dan menunggu persetujuan Kepala LPSE.")
                )
                return redirect("facility:visit_detail", pk=visit.pk)
        return render(request, "facility/visit_new.html", {"form": form}, status=400)
    return render(request, "facility/visit_new.html", {"form": form})


def _detail(request, visit, *, decision_form=None, status=200):
    return render(
        request,
        "facility/visit_detail.html",
        {
            "visit": visit,
            "transitions": visit.transitions.select_related("by"),
            "can_decide": selectors.can_decide(request.user, visit),
            "own_request": request.user.pk in (visit.requested_by_id, visit.visitor_id),
            "can_guard": selectors.can_guard(request.user, visit),
            "can_cancel": request.user.pk == visit.requested_by_id
            and visit.status in ("requested", "approved"),
            "decision_form": decision_form or DecisionForm(),
        },
        status=status,
    )


@role_required(*selectors.VISIT_REQUEST_ROLES)
def visit_detail(request, pk: int):
    return _detail(request, selectors.get_visit_for_user(request.user, pk))


@role_required(*selectors.VISIT_REQUEST_ROLES)
@require_POST
def visit_action(request, pk: int, action: str):
    visit = selectors.get_visit_for_user(request.user, pk)
    try:
        if action == "putuskan":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                return _detail(request, visit, decision_form=form, status=400)
            visit_services.decide_visit(
                visit,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
            messages.success(request, _("Keputusan tercatat."))
        elif action == "masuk":
            visit_services.record_entry(visit, by=request.user, request=request)
            messages.success(request, _("Waktu masuk tercatat."))
        elif action == "keluar":
            visit_services.record_exit(visit, by=request.user, request=request)
            messages.success(request, _("Waktu keluar tercatat."))
        elif action == "batal":
            visit_services.cancel_visit(visit, by=request.user, request=request)
            messages.success(request, _("Permohonan dibatalkan."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except visit_services.VisitError as error:
        messages.error(request, error.message)
    return redirect("facility:visit_detail", pk=visit.pk)


@role_required(*selectors.VISIT_REPORT_ROLES)
def visit_report(request):
    """Who was in the server room in a period (INF-1): on screen, or as CSV."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today - timedelta(days=30), "end": today})
    rows = []
    if form.is_valid():
        tz = timezone.get_current_timezone()
        start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=tz)
        end = datetime.combine(form.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=tz)
        rows = list(selectors.visits_in_room(start, end))
        if request.GET.get("format") == "csv":
            return _csv(rows, form.cleaned_data["start"], form.cleaned_data["end"])
    return render(
        request,
        "facility/visit_report.html",
        {"form": form, "rows": rows},
        status=200 if form.is_valid() else 400,
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _csv(rows, start, end) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ruang-server-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Nama"),
            _("Jenis identitas"),
            _("Nomor identitas"),
            _("Instansi/perusahaan"),
            _("Keperluan"),
            _("Disetujui oleh"),
            _("Masuk (WIB)"),
            _("Keluar (WIB)"),
            _("Dicatat oleh"),
        ]
    )
    for visit in rows:
        writer.writerow(
            [
                _safe(visit.visitor_name),
                visit.get_identity_type_display(),
                _safe(visit.identity_number),
                _safe(visit.organisation),
                _safe(visit.purpose),
                str(visit.decided_by or ""),
                _local(visit.entered_at),
                _local(visit.left_at) or _("masih di dalam"),
                str(visit.entry_by or ""),
            ]
        )
    return response


def _safe(text: str) -> str:
    """No spreadsheet formula injection from typed text (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
