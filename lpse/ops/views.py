"""Console pages (MON-1..MON-7): status, incidents, charts, uptime, capacity, access.

Readers: SYSADMIN, HEAD, APPADMIN and LKPP_MONITOR (MON-6, read-only); only the
SYSADMIN changes settings (settings_views.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lpse.core.access import require, role_required
from lpse.reports import exports

from . import charts, selectors, services
from .capacity import capacity_report
from .exports import INCIDENTS
from .forms import AcknowledgeForm, IncidentFilterForm
from .models import UptimeMonth
from .probes import REGISTRY
from .runner import ensure_configs
from .selectors import READ_ROLES

PAGE_SIZE = 50


@role_required(*READ_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Status of every probe and the open incidents."""
    runs = selectors.latest_runs()
    configs = ensure_configs()
    probes = [
        {"kind": kind, "label": module.LABEL, "run": runs.get(kind), "config": configs.get(kind)}
        for kind, module in REGISTRY.items()
    ]
    return render(
        request,
        "ops/dashboard.html",
        {
            "probes": probes,
            "incidents": selectors.open_incidents(),
            "consumer_alive": selectors.consumer_alive(),
            "heartbeat_age": selectors.heartbeat_age(),
            "can_edit": selectors.can_edit(request.user),
        },
    )


@role_required(*READ_ROLES)
@require_GET
def incidents(request: HttpRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.incident_list(request.user, filters)
    download = exports.download(request, form, INCIDENTS, queryset, filters)
    if download is not None:
        return download
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ops/incidents.html",
        {"page": page, "form": form, "page_query": exports.page_query(request)},
        status=400 if form.errors else 200,
    )


@role_required(*READ_ROLES)
@require_http_methods(["GET", "POST"])
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    """An incident and its timeline; the sysadmin may take it on (stops reminders)."""
    item = selectors.get_incident_for_user(request.user, pk)
    can_edit = selectors.can_edit(request.user)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            try:
                services.acknowledge_incident(
                    item, note=form.cleaned_data["note"], by=request.user, request=request
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Insiden dicatat sedang ditangani."))
                return redirect("ops:incident", pk=item.pk)
    return render(
        request,
        "ops/incident.html",
        {
            "incident": item,
            "transitions": selectors.timeline(item),
            "can_edit": can_edit,
            "form": form,
        },
    )


@role_required(*READ_ROLES)
@require_GET
def chart_page(request: HttpRequest) -> HttpResponse:
    range_code = request.GET.get("rentang", "1d")
    if range_code not in charts.RANGES:
        range_code = "1d"
    return render(request, "ops/charts.html", {"range": range_code, "ranges": list(charts.RANGES)})


@role_required(*READ_ROLES)
@require_GET
def chart_json(request: HttpRequest) -> JsonResponse:
    range_code = request.GET.get("rentang", "1d")
    if range_code not in charts.RANGES:
        return JsonResponse({"error": "rentang harus 1d, 7d atau 30d"}, status=400)
    return JsonResponse(charts.chart_data(range_code))


def _month(value: str | None) -> date:
    today = timezone.localdate().replace(day=1)
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today


@role_required(*READ_ROLES)
@require_GET
def uptime(request: HttpRequest) -> HttpResponse:
    """Uptime per check per month (MON-2)."""
    month = _month(request.GET.get("bulan"))
    rows = list(UptimeMonth.objects.filter(month=month).order_by("series"))
    months = list(
        UptimeMonth.objects.order_by("-month").values_list("month", flat=True).distinct()[:24]
    )
    return render(request, "ops/uptime.html", {"rows": rows, "month": month, "months": months})


@role_required(*READ_ROLES)
@require_GET
def capacity(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/capacity.html", {"report": capacity_report()})


@role_required(*READ_ROLES)
@require_GET
def access(request: HttpRequest) -> HttpResponse:
    """Access and intrusion watch (MON-3): the latest counts and the sources of failures."""
    from .probes.access import failures_by_source

    run = selectors.latest_runs().get("access")
    since = timezone.now() - timedelta(hours=24)
    sources = list(failures_by_source(since)[:20])
    return render(request, "ops/access.html", {"run": run, "sources": sources})
