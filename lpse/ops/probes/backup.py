"""Backups (BAK-1, Pasal 14, Lampiran V.1.c.1): the age of the last verified backup,
whether the last run succeeded and whether the scheduled target is set. The thresholds
(series catalogue) raise the incidents: overdue after LPSE_BACKUP_MAX_AGE_HOURS, a
failed run or verification at once, no target as a warning."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "backup"
LABEL = gettext_lazy("Cadangan")
DEFAULT_INTERVAL = 600


def collect(previous=None) -> Result:
    from lpse.backups import selectors
    from lpse.backups.choices import RunStatus, VerifyResult
    from lpse.backups.models import BackupRun

    now = timezone.now()
    health = selectors.health(now)
    result = Result()
    result.values[series.key("backup_configured")] = 1.0 if health.configured else 0.0
    verified = health.last_verified
    if verified is not None:
        since = verified.started_at
    else:
        # Never verified: count from the first attempt (or the first "not configured" tick).
        first = BackupRun.objects.order_by("started_at").values_list("started_at", flat=True)
        since = first.first()
    if since is not None:
        result.values[series.key("backup_age_seconds")] = (now - since).total_seconds()
    latest = (
        BackupRun.objects.exclude(status__in=(RunStatus.RUNNING, RunStatus.NOT_CONFIGURED))
        .order_by("-started_at", "-pk")
        .first()
    )
    if latest is not None:
        good = latest.status == RunStatus.COMPLETE and latest.verify_result not in (
            VerifyResult.FAILED,
            VerifyResult.UNREADABLE,
        )
        result.values[series.key("backup_last_run_ok")] = 1.0 if good else 0.0
    if verified is not None:
        result.summary = _(
            "Cadangan terakhir yang lolos pemeriksaan: %(id)s, %(age).0f jam lalu "
            "(batas %(max)d jam)."
        ) % {"id": verified.backup_id, "age": health.age_hours, "max": health.max_age_hours}
    else:
        result.summary = _("Belum ada cadangan yang lolos pemeriksaan.")
    if health.problems and verified is not None:
        result.summary += " " + " ".join(health.problems[:2])
    elif not health.configured:
        result.summary += " " + _("Tujuan cadangan terjadwal (LPSE_BACKUP_TARGET) belum diatur.")
    result.detail = {"console": "/cadangan/", "max_age_hours": settings.LPSE_BACKUP_MAX_AGE_HOURS}
    return result
