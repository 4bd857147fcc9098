"""Scheduled backups (BAK-1): every hour the task checks whether a backup is due
(LPSE_BACKUP_INTERVAL_HOURS since the last good scheduled one) and runs it,
verifies it and applies retention. Also `lpse backup create`."""

from __future__ import annotations

import contextlib

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="20"))
def scheduled_backup() -> None:
    from . import services

    services.scheduled_backup()


@db_task()
def verify_run(run_id: int, user_id: int | None) -> None:
    """A verification asked from the console (it re-reads the whole backup)."""
    from django.contrib.auth import get_user_model

    from . import services
    from .errors import BackupError
    from .models import BackupRun

    run = BackupRun.objects.get(pk=run_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    # A failure is recorded as "unreadable" by services.verify.
    with contextlib.suppress(BackupError):
        services.verify(run.target, run.backup_id, by=user, show_progress=False)
