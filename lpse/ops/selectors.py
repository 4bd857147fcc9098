"""Reads of the operations console and its access helpers (SEC-1, MON-6).

`probe_status(kind)` is the interface other apps use (the facility's Lampiran V
checklist pre-fills items from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.core.access import get_object_for_user, user_has_any_role
from lpse.reports.exports import in_period

from .choices import IncidentStatus, Level
from .models import Heartbeat, Incident, IncidentTransition, ProbeRun, UptimeMonth

#: Who sees the console (MON-6: LKPP's monitor reads it too) and who changes its settings.
READ_ROLES = (Role.SYSADMIN, Role.HEAD, Role.APPADMIN, Role.LKPP_MONITOR)
EDIT_ROLES = (Role.SYSADMIN,)


def can_edit(user) -> bool:
    return user_has_any_role(user, EDIT_ROLES)


@dataclass
class ProbeStatus:
    kind: str
    ok: bool
    level: str
    at: datetime
    summary: str
    evidence_url: str


def probe_status(kind: str) -> ProbeStatus | None:
    """The latest result of a probe kind ("host", "website", "outbound", "database",
    "queue", "mail", "access"), or None if it never ran."""
    run = ProbeRun.objects.filter(kind=kind).order_by("-at", "-pk").first()
    if run is None:
        return None
    return ProbeStatus(
        kind=kind,
        ok=run.ok and run.level == Level.OK,
        level=run.level,
        at=run.at,
        summary=run.summary,
        evidence_url=settings.SITE_URL + reverse("ops:dashboard") + f"#probe-{kind}",
    )


def latest_runs() -> dict[str, ProbeRun]:
    """The latest run of every kind that ran: one query per kind, on the (kind, at) index."""
    from .probes import REGISTRY

    runs = {}
    for kind in REGISTRY:
        run = ProbeRun.objects.filter(kind=kind).order_by("-at", "-pk").first()
        if run is not None:
            runs[kind] = run
    return runs


def heartbeat_age(now: datetime | None = None) -> float | None:
    """Seconds since the queue consumer's last heartbeat, None if it never beat."""
    beat = Heartbeat.objects.filter(name="consumer").values_list("at", flat=True).first()
    if beat is None:
        return None
    return max(((now or timezone.now()) - beat).total_seconds(), 0.0)


def consumer_alive(now: datetime | None = None) -> bool:
    age = heartbeat_age(now)
    return age is not None and age <= settings.LPSE_OPS_HEARTBEAT_SECONDS


def open_incidents() -> QuerySet[Incident]:
    return Incident.objects.filter(status=IncidentStatus.OPEN).order_by("-opened_at", "-pk")


def recent_incidents(days: int = 30) -> QuerySet[Incident]:
    since = timezone.now() - timedelta(days=days)
    return Incident.objects.filter(opened_at__gte=since).order_by("-opened_at", "-pk")


def incident_list(user, filters: dict) -> QuerySet[Incident]:
    """Incidents for the list page and its export alike (RPT-1), newest first.

    `filters` is the cleaned `IncidentFilterForm`. Without a start date the list
    covers the last 366 days, as the page always did. Readers only (MON-6).
    """
    if filters.get("dari"):
        queryset = Incident.objects.order_by("-opened_at", "-pk")
    else:
        queryset = recent_incidents(days=366)
    queryset = _incident_scope(queryset, user).select_related("acknowledged_by")
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("tingkat"):
        queryset = queryset.filter(peak_level=filters["tingkat"])
    if filters.get("q"):
        queryset = queryset.filter(title__icontains=filters["q"].strip())
    return queryset.filter(in_period("opened_at", filters.get("dari"), filters.get("sampai")))


def _incident_scope(queryset: QuerySet[Incident], user) -> QuerySet[Incident]:
    return queryset if user_has_any_role(user, READ_ROLES) else queryset.none()


def get_incident_for_user(user, pk: int) -> Incident:
    return get_object_for_user(Incident.objects.all(), user, _incident_scope, pk=pk)


def timeline(incident: Incident) -> QuerySet[IncidentTransition]:
    return incident.transitions.order_by("at", "pk")


def uptime_of_months(*months: date) -> QuerySet[UptimeMonth]:
    """Uptime rows (runs, answered runs) of every check in the given months (first days),
    for the head's monthly summary (RPT-1, MON-2); one query."""
    return UptimeMonth.objects.filter(month__in=months).order_by("series", "month")
