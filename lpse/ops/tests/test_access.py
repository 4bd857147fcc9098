"""Access and intrusion watch (MON-3) from real logins through the login page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.conftest import PASSWORD, make_user
from lpse.ops import series
from lpse.ops.models import Incident, Threshold
from lpse.ops.runner import run_probe

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
ATTACKER = "198.51.100.66"
OFFICE = "203.0.113.10"


def attempt(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(
    AXES_FAILURE_LIMIT=3, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_mon_3_failed_logins_lockouts_and_worst_source_counted_and_alerted(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """MON-3: failed logins from the login page are counted per hour, the axes lockout is
    counted, the address with most failures is named, and the thresholds alert."""
    make_user("admin.server", Role.SYSADMIN)
    victim = make_user("pt_sasaran", Role.VENDOR)
    make_user("pt_lain", Role.VENDOR)
    for _ in range(4):
        attempt(client, victim.username, "tebakan-penyerang-1", ATTACKER)
    attempt(client, "pt_lain", "salah-juga-kata-sandi", OFFICE)
    assert attempt(client, "pt_lain", PASSWORD, OFFICE).status_code == 302
    run_probe("access")  # creates the default thresholds
    Threshold.objects.filter(metric="access_failed_logins_hourly").update(warning=3, critical=50)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_probe("access")
    values = run.values
    assert values["access_failed_logins_hourly"] == 5
    assert values["access_logins_hourly"] == 1
    assert values["access_lockouts_hourly"] == 1
    assert values["access_max_source_failures_hourly"] == 4
    assert values["auth_login_failures_total"] == 5
    assert values["access_active_sessions"] >= 1
    assert run.detail["sources"][0] == [ATTACKER, 4]
    incident = Incident.objects.get(key="metric:access_failed_logins_hourly")
    assert incident.is_open and incident.level == "warning"
    assert any("Login gagal per jam" in message.subject for message in mailoutbox)

    login_as_officer = client.__class__()
    from lpse.conftest import login

    login(login_as_officer, make_user("pemantau", Role.SYSADMIN))
    page = login_as_officer.get(reverse("ops:access"))
    assert ATTACKER in page.text


def test_mon_3_admin_login_outside_working_hours_warns(
    client, settings, django_capture_on_commit_callbacks
):
    """MON-3: a system administrator logging in on Sunday night is counted and warned;
    the same login on a working morning is not."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LPSE_REQUIRE_2FA = False
    admin = make_user("admin.malam", Role.SYSADMIN)
    sunday_night = datetime(2026, 11, 29, 22, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(sunday_night, tick=False):
        assert attempt(client, admin.username, PASSWORD, OFFICE).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            run = run_probe("access")
    assert run.values[series.key("access_admin_logins_outside_worktime_hourly")] == 1
    assert run.detail["off_hours"][0][0] == "admin.malam"
    assert Incident.objects.get(key="metric:access_admin_logins_outside_worktime_hourly").is_open

    client.logout()
    monday_morning = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(monday_morning, tick=False):
        attempt(client, admin.username, PASSWORD, OFFICE)
        run = run_probe("access")
    assert run.values["access_admin_logins_outside_worktime_hourly"] == 0
    assert not Incident.objects.get(
        key="metric:access_admin_logins_outside_worktime_hourly"
    ).is_open
