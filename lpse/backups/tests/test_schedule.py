"""BAK-1: the scheduled backup runs when due, verifies and prunes; without a target it
records "not configured"; an overdue or failed backup makes the health critical."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from lpse.backups import selectors, services, tasks
from lpse.backups.choices import RunStatus, Trigger, VerifyResult
from lpse.backups.models import BackupRun

from .conftest import some_files

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_a_target_the_schedule_records_not_configured_once_BAK_1(roots):
    roots.LPSE_BACKUP_TARGET = ""
    tasks.scheduled_backup.call_local()
    tasks.scheduled_backup.call_local()
    rows = BackupRun.objects.filter(status=RunStatus.NOT_CONFIGURED)
    assert rows.count() == 1
    health = selectors.health()
    assert health.level == "critical" and not health.configured
    assert any("LPSE_BACKUP_TARGET" in problem for problem in health.problems)


def test_scheduled_backup_runs_when_due_verifies_and_prunes_BAK_1(roots, usb):
    roots.LPSE_BACKUP_TARGET = usb
    roots.LPSE_BACKUP_LABEL = "USB-JADWAL"
    some_files(roots, count=2)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        tasks.scheduled_backup.call_local()
    first = BackupRun.objects.get(trigger=Trigger.SCHEDULE)
    assert first.status == RunStatus.COMPLETE and first.verify_result == VerifyResult.OK
    assert first.medium.label == "USB-JADWAL"
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        tasks.scheduled_backup.call_local()  # not due yet
    assert BackupRun.objects.filter(trigger=Trigger.SCHEDULE).count() == 1
    with time_machine.travel(start + timedelta(hours=24), tick=False):
        tasks.scheduled_backup.call_local()
        assert selectors.health().level == "ok"
    assert BackupRun.objects.filter(trigger=Trigger.SCHEDULE, status="complete").count() == 2


def test_overdue_and_failed_backups_are_critical_BAK_1(roots, usb):
    roots.LPSE_BACKUP_TARGET = usb
    run, _data = services.run_backup(usb)
    services.verify(usb, run.backup_id)
    assert selectors.health().level == "ok"
    later = timezone.now() + timedelta(hours=roots.LPSE_BACKUP_MAX_AGE_HOURS + 1)
    health = selectors.health(now=later)
    assert health.level == "critical" and "batas 168 jam" in health.problems[0]
    roots.LPSE_BACKUP_TARGET = "/proc/tidak-bisa-ditulis"
    with pytest.raises(Exception, match="cadangan"):
        services.run_backup("/proc/tidak-bisa-ditulis")
    health = selectors.health()
    assert health.level == "critical"
    assert any("gagal" in problem for problem in health.problems)
