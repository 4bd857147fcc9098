"""Reads and access checks of the backup register (BAK-1..BAK-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.accounts.choices import Role
from lpse.core.access import get_object_for_user, user_has_any_role

from .choices import GOOD_RESULTS, RunStatus, Trigger, VerifyResult
from .models import BackupRun, Medium

#: The system administrator keeps the backups (Lampiran VI).
CONSOLE_ROLES = (Role.SYSADMIN,)


def _scope(queryset, user):
    return queryset if user_has_any_role(user, CONSOLE_ROLES) else queryset.none()


def runs() -> QuerySet[BackupRun]:
    return BackupRun.objects.select_related("medium", "requested_by")


def get_run_for_user(user, pk: int) -> BackupRun:
    return get_object_for_user(runs(), user, _scope, pk=pk)


def get_medium_for_user(user, pk: int) -> Medium:
    return get_object_for_user(Medium.objects.all(), user, _scope, pk=pk)


def last_verified() -> BackupRun | None:
    """The newest complete backup whose last verification was good."""
    return (
        BackupRun.objects.filter(status=RunStatus.COMPLETE, verify_result__in=GOOD_RESULTS)
        .select_related("medium")
        .order_by("-started_at")
        .first()
    )


def last_run() -> BackupRun | None:
    return BackupRun.objects.select_related("medium").order_by("-started_at", "-pk").first()


def last_complete_scheduled() -> BackupRun | None:
    return (
        BackupRun.objects.filter(trigger=Trigger.SCHEDULE, status=RunStatus.COMPLETE)
        .order_by("-started_at")
        .first()
    )


def last_success_timestamp() -> float:
    """Unix time of the last verified backup's start (0: none), for /metrics."""
    run = last_verified()
    return run.started_at.timestamp() if run else 0.0


@dataclass(frozen=True)
class Health:
    """What the console and the monitoring probe say about backups."""

    level: str  # "ok", "warning", "critical"
    configured: bool
    last_verified: BackupRun | None
    last_run: BackupRun | None
    age_hours: float | None  # of the last verified backup
    max_age_hours: int
    problems: tuple[str, ...]


def health(now: datetime | None = None) -> Health:
    now = now or timezone.now()
    verified = last_verified()
    latest = last_run()
    configured = bool(settings.LPSE_BACKUP_TARGET)
    max_age = settings.LPSE_BACKUP_MAX_AGE_HOURS
    age = (now - verified.started_at).total_seconds() / 3600 if verified else None
    problems = []
    level = "ok"
    if verified is None:
        problems.append(_("Belum ada cadangan yang lolos pemeriksaan."))
        level = "critical"
    elif age > max_age:
        problems.append(
            _("Cadangan terakhir yang lolos pemeriksaan berumur %(age).0f jam (batas %(max)d jam).")
            % {"age": age, "max": max_age}
        )
        level = "critical"
    if not configured:
        problems.append(_("Tujuan cadangan terjadwal (LPSE_BACKUP_TARGET) belum diatur."))
        level = "critical" if level == "critical" else "warning"
    if latest is not None and latest.status == RunStatus.FAILED:
        problems.append(
            (
                _("Cadangan terakhir (%(id)s) gagal: %(error)s")
                % {"id": latest.backup_id, "error": latest.error}
            )[:300]
        )
        level = "critical"
    failed_check = (
        BackupRun.objects.filter(
            status=RunStatus.COMPLETE,
            verify_result__in=(VerifyResult.FAILED, VerifyResult.UNREADABLE),
        )
        .order_by("-started_at")
        .first()
    )
    if failed_check is not None and (
        verified is None or failed_check.started_at > verified.started_at
    ):
        problems.append(
            _("Pemeriksaan cadangan %(id)s menemukan kerusakan.") % {"id": failed_check.backup_id}
        )
        level = "critical"
    return Health(level, configured, verified, latest, age, max_age, tuple(problems))
