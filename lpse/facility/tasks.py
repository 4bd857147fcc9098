"""Periodic work of the facility app: maintenance cycles and their overdue report (MNT-1)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="0,6,12,18", minute="5"))
def new_maintenance_cycle() -> None:
    """Create the current Lampiran V cycle when it is due (idempotent), then report
    the items of earlier cycles that missed their 7 working days."""
    from .checklist_services import create_cycle, report_overdue

    create_cycle()
    report_overdue()
