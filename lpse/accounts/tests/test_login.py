"""SEC-2: login, lockout on user name + client address together, cool-off, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import PASSWORD, make_user
from lpse.core.net import client_ip

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME_IP = "203.0.113.10"
ATTACKER_IP = "198.51.100.66"


def attempt(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def clerk(db):
    return make_user("pt_sinar", Role.VENDOR)


def test_login_page_is_indonesian(client):
    """SEC-2/GEN-1: the login page speaks Indonesian and offers password reset."""
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Nama pengguna" in page.text
    assert "Kata sandi" in page.text
    assert reverse("accounts:password_reset") in page.text


def test_login_with_right_password_goes_to_dashboard(client, clerk):
    """SEC-2: a correct password logs the user in."""
    response = attempt(client, clerk.username, PASSWORD, HOME_IP)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_wrong_password_is_refused_with_indonesian_message(client, clerk):
    """SEC-2: a wrong password shows an Indonesian error and logs nobody in."""
    response = attempt(client, clerk.username, "salah-sekali-kata-sandi", HOME_IP)
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.text
    assert "_auth_user_id" not in client.session


def test_failed_login_is_audited(client, clerk):
    """SEC-2/AUD-1: a wrong password leaves an auth.login_failed audit event."""
    from lpse.audit.models import AuditEvent

    attempt(client, clerk.username, "salah-sekali-kata-sandi", HOME_IP)
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_shows_when_to_retry(client, clerk):
    """SEC-2: after the failure limit even the right password is refused, with a retry time."""
    for _ in range(3):
        attempt(client, clerk.username, "salah-sekali-kata-sandi", HOME_IP)
    response = attempt(client, clerk.username, PASSWORD, HOME_IP)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.text
    assert "Silakan coba lagi setelah pukul" in response.text
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_attacker_elsewhere_cannot_lock_out_the_real_user(client, clerk):
    """SEC-2: lockout is keyed on user name AND address: an attacker hammering X from
    another address does not lock X out of X's own address."""
    for _ in range(10):
        attempt(client, clerk.username, "tebakan-penyerang-123", ATTACKER_IP)
    assert attempt(client, clerk.username, PASSWORD, ATTACKER_IP).status_code == 429
    response = attempt(client, clerk.username, PASSWORD, HOME_IP)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == clerk.pk


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=0.25)
def test_lockout_ends_after_cool_off(client, clerk):
    """SEC-2: after the 15-minute cool-off the user can log in again."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            attempt(client, clerk.username, "salah-sekali-kata-sandi", HOME_IP)
        assert attempt(client, clerk.username, PASSWORD, HOME_IP).status_code == 429
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt(client, clerk.username, PASSWORD, HOME_IP).status_code == 429
    # Each attempt during lockout restarts the cool-off: 15 minutes after the last one.
    with time_machine.travel(start + timedelta(minutes=29, seconds=30), tick=False):
        response = attempt(client, clerk.username, PASSWORD, HOME_IP)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == clerk.pk


def test_inactive_user_cannot_log_in(client, clerk):
    """SEC-1: a deactivated account cannot log in."""
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    response = attempt(client, clerk.username, PASSWORD, HOME_IP)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, clerk):
    """SEC-2: logging out (POST) ends the session."""
    client.force_login(clerk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- client address behind proxies -------------------------------------------------


@override_settings(LPSE_TRUSTED_PROXIES=1)
def test_client_ip_behind_one_proxy_is_last_forwarded_entry():
    """SEC-2: behind one trusted proxy the client is X-Forwarded-For's last entry;
    a forged left part cannot choose the address axes counts."""
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


@override_settings(LPSE_TRUSTED_PROXIES=0)
def test_client_ip_ignores_forwarded_header_without_trusted_proxy():
    """SEC-2: with no trusted proxy the header is ignored: a client cannot pick its address."""
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


@override_settings(LPSE_TRUSTED_PROXIES=1, AXES_FAILURE_LIMIT=3)
def test_lockout_behind_proxy_counts_the_real_client(client, clerk):
    """SEC-2: behind a proxy one attacker does not lock out everyone behind that proxy."""
    proxy = "10.0.0.2"
    for _ in range(3):
        client.post(
            LOGIN,
            {"username": clerk.username, "password": "salah-sekali-kata-sandi"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER_IP,
        )
    response = client.post(
        LOGIN,
        {"username": clerk.username, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=HOME_IP,
    )
    assert response.status_code == 302
