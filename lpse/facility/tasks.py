"""Periodic work of the facility app: maintenance cycles and their overdue report (MNT-1)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="0,6,12,18", minute="5"))
def new_maintenance_cycle() -> None:
    """Create the current Lampiran V cycle when it is due (idempotent), then report
    the items of earlier cycles that missed their 7 working days."""
    from lpse.sop.models import Procedure

    from .checklist_services import SOP_CODE, create_cycle, report_overdue

    if not Procedure.objects.filter(code=SOP_CODE).exists():
        logger.warning("SOP %s is not loaded (lpse load_sops): no maintenance cycle", SOP_CODE)
        return
    create_cycle()
    report_overdue()
