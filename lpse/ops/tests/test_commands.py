"""Management commands of the console: each periodic task is also a command (MON-1, MON-2)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.ops.models import Heartbeat, Incident, ProbeRun

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_mon_1_ops_probe_runs_the_named_probes_and_refuses_unknown_ones():
    """MON-1: `lpse ops_probe database access` runs those two now and prints their summary."""
    output = run("ops_probe", "database", "access")
    assert sorted(ProbeRun.objects.values_list("kind", flat=True)) == ["access", "database"]
    assert "database" in output and "menjawab" in output
    with pytest.raises(CommandError, match="Jenis tidak dikenal: disko"):
        run("ops_probe", "disko")


def test_mon_2_watchdog_from_cron_opens_an_incident_for_a_dead_consumer(settings):
    """MON-2: the consumer cannot report its own death; `ops_probe --watchdog` from cron can."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Heartbeat.objects.create(name="consumer", at=timezone.now() - timedelta(hours=1))
    output = run("ops_probe", "--watchdog")
    assert "mati" in output
    assert Incident.objects.get(key="metric:queue_consumer_up").level == "critical"


def test_mon_1_ops_report_and_housekeeping_commands(settings, mailoutbox):
    """MON-1: the capacity report and the housekeeping run by hand as well."""
    settings.LPSE_OPS_FILESYSTEMS = [str(settings.DATA_DIR)]
    make_user("admin.server", Role.SYSADMIN)
    run("ops_probe", "host")
    assert "1 administrator" in run("ops_report")
    assert mailoutbox[0].subject.endswith("Laporan kapasitas harian " + settings.LPSE_NAME)
    assert "0 sampel dirata-ratakan" in run("ops_housekeeping")


def test_mon_1_a_probe_claimed_by_another_worker_is_not_run_twice():
    """MON-1: two overlapping ticks (or two consumers) run a due probe once: the second
    finds the schedule row already claimed."""
    from lpse.ops.models import ProbeConfig
    from lpse.ops.runner import ensure_configs, run_due

    configs = ensure_configs()
    ProbeConfig.objects.exclude(kind="database").update(enabled=False)
    stale = configs["database"]  # what a second worker read before the first claimed it
    assert [run.kind for run in run_due()] == ["database"]
    claimed = ProbeConfig.objects.filter(pk=stale.pk, last_run_at=stale.last_run_at).update(
        last_run_at=timezone.now()
    )
    assert claimed == 0
    assert ProbeRun.objects.filter(kind="database").count() == 1
