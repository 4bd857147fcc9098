"""The daily capacity report (MON-1, Pasal 12(1)) and the sample retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import login, make_user
from lpse.ops import series
from lpse.ops.capacity import capacity_report, send_capacity_report
from lpse.ops.models import HourlySample, ProbeRun
from lpse.ops.retention import downsample

pytestmark = pytest.mark.django_db
GB = 10**9


def host_values(mountpoint: str, used: float, capacity: float) -> dict:
    return {
        series.key("filesystem_size_bytes", mountpoint=mountpoint): capacity,
        series.key("filesystem_free_bytes", mountpoint=mountpoint): capacity - used,
        series.key("filesystem_used_ratio", mountpoint=mountpoint): used / capacity,
        "memory_used_ratio": 0.5,
    }


@pytest.fixture
def thirty_days():
    """/data grows 1 GB a day from 40 of 100 GB (full in ~30 days from now: 70 → 100);
    /arsip stays flat."""
    now = timezone.now()
    rows = []
    for back in range(30, -1, -1):
        at = now - timedelta(days=back)
        values = host_values("/data", (40 + 30 - back) * GB, 100 * GB)
        values.update(host_values("/arsip", 10 * GB, 100 * GB))
        rows.append(ProbeRun(kind="host", at=at, values=values))
    ProbeRun.objects.bulk_create(rows)
    return now


def test_mon_1_capacity_report_projects_fill_dates_and_flags_critical(thirty_days, settings):
    """MON-1: 30-day trend per filesystem, projected fill date, flagged critical when the
    projection is closer than LPSE_CAPACITY_CRITICAL_DAYS."""
    settings.LPSE_CAPACITY_CRITICAL_DAYS = 45
    report = capacity_report(now=thirty_days)
    rows = {fs.mountpoint: fs for fs in report["filesystems"]}
    data = rows["/data"]
    assert data.growth_per_day == pytest.approx(GB, rel=0.01)
    assert data.days_left == pytest.approx(30, abs=1)
    assert abs((data.full_on - timezone.localdate(thirty_days)).days - 30) <= 1
    assert data.critical
    assert rows["/arsip"].full_on is None and not rows["/arsip"].critical
    settings.LPSE_CAPACITY_CRITICAL_DAYS = 10
    again = {fs.mountpoint: fs for fs in capacity_report(now=thirty_days)["filesystems"]}
    assert not again["/data"].critical


def test_mon_1_capacity_report_mailed_to_sysadmins_and_shown_on_console(
    thirty_days, settings, mailoutbox, client
):
    """MON-1: the daily report goes to every system administrator (and only to them)."""
    settings.LPSE_CAPACITY_CRITICAL_DAYS = 45
    admin = make_user("admin.server", Role.SYSADMIN)
    make_user("kepala", Role.HEAD)
    assert send_capacity_report() == 1
    message = mailoutbox[0]
    assert message.to == [admin.email]
    assert message.subject.startswith("[Kritis] Laporan kapasitas harian")
    assert "[KRITIS] /data" in message.body and "Perkiraan penuh" in message.body
    login(client, admin)
    page = client.get(reverse("ops:capacity"))
    assert "/data" in page.text and "table-danger" in page.text


def test_mon_1_old_samples_are_averaged_per_hour_and_expire(settings):
    """MON-1: runs older than the raw retention become hourly averages; hourly rows older
    than their own retention are deleted; recent runs stay raw."""
    settings.LPSE_OPS_RAW_DAYS = 30
    settings.LPSE_OPS_HOURLY_DAYS = 365
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    old_hour = now - timedelta(days=40)
    ProbeRun.objects.bulk_create(
        [
            ProbeRun(kind="host", at=old_hour.replace(minute=minute), values={"load1": value})
            for minute, value in ((0, 1.0), (20, 2.0), (40, 6.0))
        ]
        + [ProbeRun(kind="host", at=now - timedelta(days=1), values={"load1": 9.0})]
    )
    HourlySample.objects.create(kind="host", hour=now - timedelta(days=400), values={}, runs=1)
    folded, deleted = downsample(now=now)
    assert (folded, deleted) == (3, 1)
    hourly = HourlySample.objects.get()
    assert hourly.values == {"load1": 3.0} and hourly.runs == 3
    assert hourly.hour == old_hour.replace(minute=0)
    assert ProbeRun.objects.count() == 1


def test_mon_1_capacity_report_flags_ram_at_its_critical_threshold():
    """MON-1 (Pasal 12(1): disk AND RAM daily): RAM at or over the RAM threshold's critical
    bound (95 % by default) is flagged critical in the report."""
    from lpse.ops.thresholds import ensure_defaults

    ensure_defaults()
    values = host_values("/data", 10 * GB, 100 * GB)
    ProbeRun.objects.create(kind="host", values={**values, "memory_used_ratio": 0.5})
    assert capacity_report()["memory_critical"] is False
    ProbeRun.objects.create(kind="host", values={**values, "memory_used_ratio": 0.97})
    assert capacity_report()["memory_critical"] is True
