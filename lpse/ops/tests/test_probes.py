"""Probes against the real host, a real SMTP sink, the live server (MON-1, MON-2, MON-4)."""

from __future__ import annotations

import socket
from datetime import timedelta

import psutil
import pytest
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.ops import series
from lpse.ops.models import Heartbeat, Incident, ProbeRun, Threshold
from lpse.ops.runner import run_probe
from lpse.ops.selectors import probe_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin_mail(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return make_user("admin.server", Role.SYSADMIN)


def test_mon_1_host_probe_measures_disks_memory_cpu_network(tmp_path, settings):
    """MON-1: per filesystem use/free/inodes, RAM, swap, CPU, load and interface counters."""
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    first = run_probe("host")
    path = str(tmp_path)
    usage = psutil.disk_usage(path)
    assert first.ok
    assert first.values[series.key("filesystem_size_bytes", mountpoint=path)] == usage.total
    assert 0 < first.values[series.key("filesystem_used_ratio", mountpoint=path)] < 1
    assert 0 <= first.values[series.key("filesystem_inodes_used_ratio", mountpoint=path)] < 1
    assert first.values["memory_total_bytes"] == psutil.virtual_memory().total
    assert 0 <= first.values["cpu_used_ratio"] <= 1
    assert "load1" in first.values
    counters = [key for key in first.values if key.startswith("network_receive_bytes_total")]
    second = run_probe("host")
    rates = [key for key in second.values if key.startswith("network_receive_bytes_per_second")]
    assert len(rates) == len(counters)  # bandwidth from the counter deltas of two runs
    status = probe_status("host")
    assert status.kind == "host" and status.ok and status.at == second.at
    assert status.evidence_url.endswith("/operasi/#probe-host")


def test_mon_1_low_disk_threshold_opens_a_single_incident_and_recovery_closes_it(
    tmp_path, settings, sysadmin_mail, mailoutbox, django_capture_on_commit_callbacks
):
    """MON-1/MON-2: a temp dir's filesystem over a (low) threshold opens one critical
    incident with one e-mail, stays single over more runs, and closes on recovery."""
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    run_probe("host")  # creates the default thresholds
    Threshold.objects.filter(metric="filesystem_used_ratio").update(
        warning=0.0001, critical=0.0002, margin=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            run = run_probe("host")
    assert run.level == "critical"
    key = "metric:" + series.key("filesystem_used_ratio", mountpoint=str(tmp_path))
    incident = Incident.objects.get(key=key)
    assert incident.is_open and incident.level == "critical"
    assert Incident.objects.filter(key=key).count() == 1
    assert len([m for m in mailoutbox if str(tmp_path) in m.body]) == 1
    assert "Disk terpakai" in incident.title

    Threshold.objects.filter(metric="filesystem_used_ratio").update(warning=0.998, critical=0.999)
    with django_capture_on_commit_callbacks(execute=True):
        run_probe("host")
    incident.refresh_from_db()
    assert not incident.is_open
    assert "selesai" in mailoutbox[-1].subject


def test_mon_1_filling_disk_trend_raises_full_within_hours(
    tmp_path, settings, sysadmin_mail, django_capture_on_commit_callbacks
):
    """MON-1: hand-made history of a disk losing space fast projects 'full within' hours
    from the linear fit, and the 24 h / 4 h threshold opens an incident."""
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    path = str(tmp_path)
    usage = psutil.disk_usage(path)
    capacity = usage.used + usage.free
    now = timezone.now()
    history = []
    # Free space shrinks by 5 % of the capacity an hour up to now's real value:
    # the remaining free space lasts free / (5 % of capacity) hours.
    for back in range(6, 0, -1):
        free = usage.free + back * 0.05 * capacity
        used = capacity - free
        history.append(
            ProbeRun(
                kind="host",
                at=now - timedelta(minutes=back * 60 * 0.9),
                values={
                    series.key("filesystem_size_bytes", mountpoint=path): usage.total,
                    series.key("filesystem_free_bytes", mountpoint=path): free,
                    series.key("filesystem_used_ratio", mountpoint=path): used / capacity,
                },
            )
        )
    ProbeRun.objects.bulk_create(history)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_probe("host")
    seconds = run.values[series.key("filesystem_full_in_seconds", mountpoint=path)]
    expected_hours = usage.free / (0.05 * capacity / 0.9)
    assert seconds / 3600 == pytest.approx(expected_hours, rel=0.25)
    assert seconds < 24 * 3600  # at most 18 hours: the free space is at most the capacity
    key = "metric:" + series.key("filesystem_full_in_seconds", mountpoint=path)
    assert Incident.objects.get(key=key).is_open


def test_mon_4_database_probe_reports_size_users_and_sessions(settings):
    """MON-4: the database answers; its size and the user table are recorded; on
    PostgreSQL the hanging-transaction and lock-wait counts come from pg_stat_activity."""
    from django.db import connection

    make_user("satu")
    make_user("dua")
    run = run_probe("database")
    assert run.values["database_up"] == 1.0
    assert run.values["database_users"] == 2.0
    assert run.values["database_size_bytes"] > 0
    if connection.vendor == "postgresql":
        assert run.values["database_long_transactions"] >= 0
        assert run.values["database_idle_in_transaction"] >= 0
        assert run.values["database_lock_waits"] >= 0
        assert run.detail["largest_tables"]


def test_mon_2_queue_probe_dead_consumer_opens_incident_and_heartbeat_closes_it(
    sysadmin_mail, django_capture_on_commit_callbacks, mailoutbox
):
    """MON-2: without a recent heartbeat the consumer counts as dead (critical); a
    heartbeat (written every minute by the ops_tick task) brings it back."""
    from lpse.ops.runner import beat

    Heartbeat.objects.create(name="consumer", at=timezone.now() - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_probe("queue")
    assert run.values["queue_consumer_up"] == 0.0
    incident = Incident.objects.get(key="metric:queue_consumer_up")
    assert incident.level == "critical"
    beat()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_probe("queue")
    assert run.values["queue_consumer_up"] == 1.0
    assert run.values["queue_pending_tasks"] >= 0
    incident.refresh_from_db()
    assert not incident.is_open
    assert [m.subject.split("]")[0] for m in mailoutbox] == ["[Kritis", "[Normal"]


def test_mon_2_mail_probe_talks_smtp_to_a_real_server(settings):
    """MON-2: EHLO and NOOP to a real SMTP server (aiosmtpd) answer; a closed port is 0."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    controller = Controller(Sink(), hostname="127.0.0.1", port=_closed_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = (
            "127.0.0.1",
            controller.server.sockets[0].getsockname()[1],
        )
        settings.EMAIL_USE_SSL = False
        up = run_probe("mail")
    finally:
        controller.stop()
    assert up.values["mail_up"] == 1.0
    down = run_probe("mail")  # the server is gone now
    assert down.values["mail_up"] == 0.0
    assert "tidak menjawab" in down.summary


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_mon_2_website_probe_checks_page_and_health_endpoint(live_server, settings):
    """MON-2: the public page and /healthz of the running server answer, with latency."""
    settings.LPSE_OPS_WEBSITE_URL = live_server.url
    run = run_probe("website")
    assert run.values[series.key("website_up", check="page")] == 1.0
    assert run.values[series.key("website_up", check="health")] == 1.0
    assert run.values[series.key("website_response_seconds", check="health")] > 0
    assert run.detail["health"]["url"] == live_server.url + "/healthz"


def test_mon_2_website_down_and_unreachable_outbound_are_recorded_not_errors(
    settings, sysadmin_mail, django_capture_on_commit_callbacks
):
    """MON-2: a site that does not answer is 'down' (critical incident); an unreachable
    outbound target is a recorded 0 with a warning, never a crash of the probe."""
    port = _closed_port()
    settings.LPSE_OPS_WEBSITE_URL = f"http://127.0.0.1:{port}"
    settings.LPSE_OPS_OUTBOUND_URLS = [f"http://127.0.0.1:{port}/"]
    settings.LPSE_OPS_TIMEOUT_SECONDS = 2
    with django_capture_on_commit_callbacks(execute=True):
        site = run_probe("website")
        outbound = run_probe("outbound")
    assert site.ok and site.level == "critical"
    assert outbound.ok and outbound.values[series.key("outbound_up", target="127.0.0.1")] == 0.0
    assert outbound.level == "warning"
    keys = set(Incident.objects.filter(status="open").values_list("key", flat=True))
    assert 'metric:website_up{check="page"}' in keys
    assert 'metric:outbound_up{target="127.0.0.1"}' in keys


def test_mon_2_outbound_without_targets_stays_quiet():
    """MON-2: no targets configured (closed network): nothing is contacted, nothing alerts."""
    run = run_probe("outbound")
    assert run.values == {} and run.level == "ok"
