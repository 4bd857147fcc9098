"""Monitoring status for LKPP and the operators' tools (GEN-3, MON-6): scope `monitoring:read`.

What the operations console shows, read through its selectors: the latest result
of every probe (`ops.selectors.probe_status`), the open incidents, the queue
consumer's heartbeat and the backups' health (`backups.selectors.health`). The
token's owner must still hold one of the console's roles (`ops.selectors.READ_ROLES`),
as the console page checks: a token outliving its owner's role answers 403.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from lpse.backups import selectors as backup_selectors
from lpse.core.access import user_has_any_role
from lpse.ops import selectors as ops_selectors
from lpse.ops.choices import worst
from lpse.ops.probes import REGISTRY

from .auth import TokenAuth
from .choices import Scope
from .errors import TOKEN_ERRORS, error_responses
from .schemas import Mapped, Pages, absolute

router = Router(tags=["pemantauan"], auth=TokenAuth(Scope.MONITORING_READ))


class ProbeOut(Schema):
    kind: str
    ok: bool
    level: str = Field(description="ok, warning or critical")
    at: datetime
    summary: str
    evidence_url: str


class IncidentOut(Schema):
    id: int
    title: str
    level: str
    peak_level: str
    opened_at: datetime
    last_seen_at: datetime
    acknowledged_at: datetime | None
    value: float | None
    detail: str
    evidence_url: str
    url: str


class BackupRunOut(Schema):
    backup_id: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    verify_result: str


class BackupOut(Schema):
    level: str
    configured: bool
    age_hours: float | None = Field(description="Umur cadangan terakhir yang lolos pemeriksaan")
    max_age_hours: int
    last_verified: BackupRunOut | None
    last_run: BackupRunOut | None
    problems: list[str]


class StatusOut(Schema):
    level: str = Field(description="Tingkat terburuk / worst level: ok, warning, critical")
    at: datetime
    probes: list[ProbeOut]
    never_ran: list[str] = Field(description="Pemeriksaan yang belum pernah berjalan")
    queue_consumer_alive: bool
    open_incidents: int
    backup: BackupOut


def _check_role(request: HttpRequest) -> None:
    if not user_has_any_role(request.user, ops_selectors.READ_ROLES):
        raise PermissionDenied


def _run(run) -> dict | None:
    if run is None:
        return None
    return {
        "backup_id": run.backup_id,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "verify_result": run.verify_result,
    }


def _incident(incident) -> dict:
    return {
        "id": incident.pk,
        "title": incident.title,
        "level": incident.level,
        "peak_level": incident.peak_level,
        "opened_at": incident.opened_at,
        "last_seen_at": incident.last_seen_at,
        "acknowledged_at": incident.acknowledged_at,
        "value": incident.value,
        "detail": incident.detail,
        "evidence_url": incident.evidence_url,
        "url": absolute(reverse("ops:incident", args=[incident.pk])),
    }


@router.get(
    "/status",
    response={200: StatusOut, **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Status pemantauan sistem")),
    url_name="monitoring_status",
)
def monitoring_status(request: HttpRequest):
    """Every probe's latest result, open incidents, queue heartbeat and backup health."""
    _check_role(request)
    statuses = {kind: ops_selectors.probe_status(kind) for kind in REGISTRY}
    probes = [vars(status) for status in statuses.values() if status is not None]
    health = backup_selectors.health()
    open_count = ops_selectors.open_incidents().count()
    return {
        "level": worst([p["level"] for p in probes] + [health.level]),
        "at": timezone.now(),
        "probes": probes,
        "never_ran": [kind for kind, status in statuses.items() if status is None],
        "queue_consumer_alive": ops_selectors.consumer_alive(),
        "open_incidents": open_count,
        "backup": {
            "level": health.level,
            "configured": health.configured,
            "age_hours": health.age_hours,
            "max_age_hours": health.max_age_hours,
            "last_verified": _run(health.last_verified),
            "last_run": _run(health.last_run),
            "problems": [str(problem) for problem in health.problems],
        },
    }


@router.get(
    "/incidents",
    response={200: list[IncidentOut], **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Insiden yang masih terbuka")),
    url_name="monitoring_incidents",
)
@paginate(Pages)
def monitoring_incidents(request: HttpRequest):
    """Open incidents, newest first."""
    _check_role(request)
    return Mapped(ops_selectors.open_incidents(), _incident)
