"""The operations console (MON-1..MON-7, SEC-1): who sees it, who changes it, what it shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.ops.choices import Level
from lpse.ops.models import Incident, ProbeConfig, Threshold
from lpse.ops.runner import ensure_configs, run_all
from lpse.ops.services import report_condition

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "ops:dashboard",
    "ops:incidents",
    "ops:charts",
    "ops:uptime",
    "ops:capacity",
    "ops:access",
    "ops:settings",
]


@pytest.fixture
def lkpp(db):
    return make_user("pemantau.lkpp", Role.LKPP_MONITOR)


@pytest.fixture
def sampled(settings, tmp_path):
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    settings.LPSE_OPS_WEBSITE_URL = "http://127.0.0.1:9"
    settings.LPSE_OPS_TIMEOUT_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_all()
    run_all()


def test_mon_6_console_is_closed_to_vendors_outsiders_and_anonymous(client, vendor, outsider):
    """MON-6/SEC-1: vendors and users without a role get 403, visitors the login page."""
    for url_name in READ_PAGES:
        assert client.get(reverse(url_name)).status_code == 302
    for user in (vendor, outsider):
        login(client, user)
        for url_name in [*READ_PAGES, "ops:tokens"]:
            assert client.get(reverse(url_name)).status_code == 403, url_name
        assert client.get(reverse("ops:chart_data")).status_code == 403
        client.logout()


def test_mon_6_lkpp_monitor_reads_everything_and_changes_nothing(client, lkpp, sampled):
    """MON-6 (Pasal 12(6)): LKPP's monitoring role reads every console page but cannot
    change a schedule or threshold, nor see or issue /metrics tokens."""
    login(client, lkpp)
    for url_name in READ_PAGES:
        page = client.get(reverse(url_name))
        assert page.status_code == 200, url_name
    settings_page = client.get(reverse("ops:settings"))
    assert "<form" not in settings_page.text.split('id="probe-settings"')[1]
    config = ProbeConfig.objects.get(kind="host")
    threshold = Threshold.objects.get(metric="filesystem_used_ratio")
    assert (
        client.post(
            reverse("ops:probe_update", args=[config.pk]), {"interval_seconds": 30}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("ops:threshold_update", args=[threshold.pk]), {"warning": 1}
        ).status_code
        == 403
    )
    assert client.get(reverse("ops:tokens")).status_code == 403
    config.refresh_from_db()
    assert config.interval_seconds == 60 and config.enabled


def test_mon_1_sysadmin_changes_probe_interval_and_switches_it_off_audited(client, sysadmin):
    """MON-1: the sysadmin sets a probe's interval and enables/disables it; audited; a
    bad interval is refused with an Indonesian message and nothing changes."""
    ensure_configs()
    config = ProbeConfig.objects.get(kind="website")
    login(client, sysadmin)
    page = client.get(reverse("ops:settings"))
    assert page.status_code == 200
    assert f'id="probe-{config.pk}"' in page.text
    assert 'id="threshold-filesystem_used_ratio"' in page.text
    assert 'value="80.0"' in page.text  # the ratio 0.8 shown as a percentage
    url = reverse("ops:probe_update", args=[config.pk])
    response = client.post(url, {"interval_seconds": 120}, follow=True)
    assert "disimpan" in response.text
    config.refresh_from_db()
    assert config.interval_seconds == 120 and not config.enabled
    event = AuditEvent.objects.get(action="ops.probe_configured")
    assert event.before == {"enabled": True, "interval_seconds": 60}
    assert event.after == {"enabled": False, "interval_seconds": 120}
    response = client.post(url, {"interval_seconds": 5, "enabled": "on"}, follow=True)
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 30" in response.text
    config.refresh_from_db()
    assert config.interval_seconds == 120 and not config.enabled


def test_mon_1_disabled_probe_is_not_run_by_the_schedule(sysadmin):
    """MON-1: run_due skips a disabled probe and one whose interval has not passed."""
    from lpse.ops.runner import run_due
    from lpse.ops.services import update_probe_config

    configs = ensure_configs()
    for kind in ("host", "website", "outbound", "database", "mail", "access", "backup"):
        update_probe_config(configs[kind], enabled=False, interval_seconds=60, by=sysadmin)
    assert [run.kind for run in run_due()] == ["queue"]
    assert run_due() == []  # not due again within its interval


def test_mon_1_threshold_edited_in_display_units_and_checked(client, sysadmin):
    """MON-1: thresholds are typed in % (stored as ratios); critical below warning is
    refused with a clear message; the change is audited."""
    from lpse.ops.thresholds import ensure_defaults

    ensure_defaults()
    threshold = Threshold.objects.get(metric="filesystem_used_ratio")
    login(client, sysadmin)
    url = reverse("ops:threshold_update", args=[threshold.pk])
    response = client.post(
        url, {"warning": 70, "critical": 60, "margin": 2, "enabled": "on"}, follow=True
    )
    assert "Batas kritis harus sama atau lebih tinggi dari peringatan." in response.text
    threshold.refresh_from_db()
    assert threshold.warning == pytest.approx(0.80)
    client.post(url, {"warning": 70, "critical": 85, "margin": 3, "enabled": "on"})
    threshold.refresh_from_db()
    assert (threshold.warning, threshold.critical, threshold.margin) == pytest.approx(
        (0.70, 0.85, 0.03)
    )
    assert AuditEvent.objects.filter(action="ops.threshold_changed").count() == 1


def test_mon_2_dashboard_and_incident_detail_show_status_and_timeline(client, sysadmin, sampled):
    """MON-2: every probe's status is on the dashboard; an incident's page shows its
    transitions."""
    incident = report_condition("uji:kondisi", level=Level.WARNING, title="Kondisi uji", value=3)
    report_condition("uji:kondisi", level=Level.CRITICAL, title="Kondisi uji kritis", value=9)
    login(client, sysadmin)
    page = client.get(reverse("ops:dashboard"))
    for kind in ("host", "website", "outbound", "database", "queue", "mail", "access"):
        assert f'id="probe-{kind}"' in page.text
    assert "Kondisi uji kritis" in page.text
    detail = client.get(reverse("ops:incident", args=[incident.pk]))
    assert detail.status_code == 200
    assert detail.text.count("<tr>") >= 3  # header + two moves
    assert client.get(reverse("ops:incident", args=[99999])).status_code == 404


def test_mon_2_incident_list_query_count_is_locked(client, sysadmin, django_assert_num_queries):
    """MON-2 (STYLE 10): the incident list costs the same queries for 3 or 30 incidents."""
    login(client, sysadmin)

    def fill(count):
        for number in range(count):
            report_condition(f"uji:{number}", level=Level.WARNING, title=f"Uji {number}")

    fill(3)
    client.get(reverse("ops:incidents"))  # warm the session and the user's roles
    # 7: the facility app's maintenance banner reads the active window on every page.
    with django_assert_num_queries(7) as few:
        client.get(reverse("ops:incidents"))
    fill(30)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("ops:incidents")).status_code == 200


def test_mon_7_chart_data_has_every_series_over_each_range(client, lkpp, sampled):
    """MON-7: the JSON view gives every recorded metric (counters as rates only) for
    1 day, 7 days and 30 days; an unknown range is refused."""
    login(client, lkpp)
    for code in ("1d", "7d", "30d"):
        data = client.get(reverse("ops:chart_data"), {"rentang": code}).json()
        metrics = {chart["metric"] for chart in data["charts"]}
        assert {
            "filesystem_used_ratio",
            "memory_used_ratio",
            "website_up",
            "database_up",
        } <= metrics
        assert "network_receive_bytes_total" not in metrics
        host = next(chart for chart in data["charts"] if chart["metric"] == "memory_used_ratio")
        assert len(host["datasets"][0]["points"]) == 2 and host["unit"] == "%"
    assert client.get(reverse("ops:chart_data"), {"rentang": "1y"}).status_code == 400


def test_mon_2_uptime_per_check_per_month(client, lkpp, sampled):
    """MON-2: uptime of each check in the month: the unreachable test site is 0 %, the
    database 100 %."""
    login(client, lkpp)
    page = client.get(reverse("ops:uptime"))
    rows = {row.series: row for row in page.context["rows"]}
    assert rows["database_up"].ratio == 1.0 and rows["database_up"].runs == 2
    assert rows['website_up{check="page"}'].ratio == 0.0
    assert "100,0 %" in page.text  # Indonesian number format


def test_mon_1_a_metric_without_default_gets_a_threshold_from_the_sysadmin(
    client, sysadmin, settings, tmp_path
):
    """MON-1: CPU has no default threshold; its row exists switched off and the sysadmin
    may fill it in (in %), after which the host probe evaluates it."""
    from lpse.ops.runner import run_probe
    from lpse.ops.thresholds import ensure_defaults

    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_defaults()
    cpu = Threshold.objects.get(metric="cpu_used_ratio")
    assert not cpu.enabled and cpu.warning is None and cpu.critical is None
    login(client, sysadmin)
    url = reverse("ops:threshold_update", args=[cpu.pk])
    response = client.post(url, {"margin": 0, "enabled": "on"}, follow=True)
    assert "Isi batas peringatan atau batas kritis" in response.text
    client.post(url, {"warning": 0, "margin": 0, "enabled": "on"})
    cpu.refresh_from_db()
    assert cpu.enabled and cpu.warning == 0
    run_probe("host")
    assert Incident.objects.get(key="metric:cpu_used_ratio").level == "warning"
