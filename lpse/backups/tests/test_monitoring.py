"""BAK-1 wired to the operations console: the `backup` probe raises an incident when the
last verified backup is overdue or the last run failed; /metrics exports its time; the
Lampiran V checklist item "backup dan recovery data" is pre-filled from the probe."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from lpse.backups import services
from lpse.ops.choices import Level
from lpse.ops.metrics import render_metrics
from lpse.ops.models import Incident
from lpse.ops.runner import run_probe

pytestmark = pytest.mark.django_db(transaction=True)

OVERDUE = "metric:backup_age_seconds"
FAILED = "metric:backup_last_run_ok"


def open_incident(key: str) -> Incident | None:
    return Incident.objects.filter(key=key, status="open").first()


def test_overdue_backup_raises_an_incident_and_a_new_one_closes_it_BAK_1(roots, usb):
    """BAK-1: older than LPSE_BACKUP_MAX_AGE_HOURS (7 x 24 h) -> critical incident."""
    roots.LPSE_BACKUP_TARGET = usb
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        run, _data = services.run_backup(usb)
        services.verify(usb, run.backup_id)
        run_probe("backup")
    assert open_incident(OVERDUE) is None
    with time_machine.travel(start + timedelta(hours=169), tick=False):
        probe = run_probe("backup")
        incident = open_incident(OVERDUE)
        assert incident is not None and incident.level == Level.CRITICAL
        assert probe.level == Level.CRITICAL
        assert "169" in probe.summary or "jam" in probe.summary
        fresh, _data = services.run_backup(usb)
        services.verify(usb, fresh.backup_id)
        run_probe("backup")
    assert open_incident(OVERDUE) is None


def test_failed_backup_raises_an_incident_BAK_1(roots, usb):
    roots.LPSE_BACKUP_TARGET = usb
    run, _data = services.run_backup(usb)
    services.verify(usb, run.backup_id)
    with pytest.raises(Exception, match="cadangan"):
        services.run_backup("/proc/tidak-bisa-ditulis")
    run_probe("backup")
    incident = open_incident(FAILED)
    assert incident is not None and incident.level == Level.CRITICAL


def test_missing_target_is_a_warning_BAK_1(roots):
    roots.LPSE_BACKUP_TARGET = ""
    services.scheduled_backup()
    run_probe("backup")
    incident = open_incident("metric:backup_configured")
    assert incident is not None and incident.level == Level.WARNING


def test_metrics_export_the_last_verified_backup_time_BAK_1(roots, usb):
    assert b"lpse_backup_last_success_timestamp_seconds 0.0" in render_metrics()
    run, _data = services.run_backup(usb)
    services.verify(usb, run.backup_id)
    run.refresh_from_db()
    text = render_metrics().decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("lpse_backup_last_success_timestamp_seconds ")
    )
    assert float(line.split()[1]) == pytest.approx(run.started_at.timestamp(), abs=1)


def test_lampiran_v_backup_item_is_prefilled_from_the_probe_BAK_1(roots, usb):
    from lpse.facility import checklist_services
    from lpse.sop.services import load_procedures

    load_procedures()
    run, _data = services.run_backup(usb)
    services.verify(usb, run.backup_id)
    run_probe("backup")
    cycle, _created = checklist_services.create_cycle(starts_on=date(2026, 8, 14))
    item = cycle.items.get(label="1.c.1")
    assert item.probe_kind == "backup"
    assert run.backup_id in item.observed_summary
