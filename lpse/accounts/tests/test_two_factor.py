"""SEC-2: TOTP two-factor required for staff roles, optional for vendors."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.conftest import login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("core:dashboard")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


def token_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed from the device key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_without_device_is_sent_to_setup(client, verifier):
    """SEC-2: a staff user who logged in with a password must enrol TOTP first."""
    client.force_login(verifier)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "next=%2Fdasbor%2F" in response["Location"]


def test_staff_with_device_is_sent_to_verify(client, verifier):
    """SEC-2: a staff user with a device must enter a code before any staff page."""
    TOTPDevice.objects.create(user=verifier, name="hp", confirmed=True)
    client.force_login(verifier)
    response = client.get(reverse("accounts:staff_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_api_token_call_is_not_redirected_by_a_half_logged_in_staff_session(client, head):
    """SEC-2, GEN-3: the JSON API authenticates by token only; a browser session of staff who
    has not passed TOTP yet neither redirects a token call nor lends it any access."""
    from lpse.api.choices import Scope
    from lpse.api.services import issue_token

    TOTPDevice.objects.create(user=head, name="hp", confirmed=True)
    _, secret = issue_token(head, name="dasbor", scopes=[Scope.MONITORING_READ], by=head)
    client.force_login(head)
    assert client.get(DASHBOARD).status_code == 302  # the pages still want the code
    answer = client.get("/api/v1/tokens/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    assert answer.json()["username"] == head.username
    assert client.get("/api/v1/monitoring/status").status_code == 401  # session alone: nothing


def test_vendor_needs_no_second_factor(client, vendor):
    """SEC-2: TOTP is for staff roles; a vendor reaches the dashboard with a password."""
    client.force_login(vendor)
    assert client.get(DASHBOARD).status_code == 200


@override_settings(LPSE_REQUIRE_2FA=False)
def test_two_factor_can_be_switched_off_for_local_evaluation(client, verifier):
    """SEC-2: LPSE_REQUIRE_2FA=0 (warned by check --deploy) lets staff in without TOTP."""
    client.force_login(verifier)
    assert client.get(DASHBOARD).status_code == 200


def test_logout_stays_open_before_second_factor(client, verifier):
    """SEC-2: an unverified staff user can still log out."""
    client.force_login(verifier)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_setup_and_verify_with_real_totp_codes(client, verifier):
    """SEC-2: enrol with the QR/secret, confirm with a real code, get 10 backup codes,
    and log in again later with a fresh code from the same key."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(verifier)
        page = client.get(f"{SETUP}?next={DASHBOARD}")
        assert page.status_code == 200
        assert "<svg" in page.text and "<script" not in page.text.split("<main")[1]
        secret = re.search(r'<code class="fs-5 user-select-all">([A-Z2-7 ]+)</code>', page.text)
        device = TOTPDevice.objects.get(user=verifier, confirmed=False)
        assert b32decode(secret.group(1).replace(" ", "")) == device.bin_key

        wrong = client.post(SETUP, {"token": "000000", "next": DASHBOARD})
        assert "Kode tidak cocok" in wrong.text
        device.refresh_from_db()
        assert not device.confirmed

    # A failure throttles the device for a moment (django-otp); the user retries later.
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        done = client.post(SETUP, {"token": token_for(device), "next": DASHBOARD})
        assert done.status_code == 200
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.text)
        assert len(codes) == 10
        assert "hanya ditampilkan sekali" in done.text
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(DASHBOARD).status_code == 200

    client.post(reverse("accounts:logout"))
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        client.force_login(verifier)
        assert client.get(DASHBOARD)["Location"].startswith(VERIFY)
        response = client.post(VERIFY, {"token": token_for(device), "next": DASHBOARD})
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        assert client.get(DASHBOARD).status_code == 200


def test_wrong_code_is_refused_and_audited(client, verifier):
    """SEC-2/AUD-1: a wrong code keeps the staff user out and is audited."""
    from lpse.audit.models import AuditEvent

    TOTPDevice.objects.create(user=verifier, name="hp", confirmed=True)
    client.force_login(verifier)
    response = client.post(VERIFY, {"token": "123456"})
    assert response.status_code == 200
    assert "Kode salah" in response.text
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action="auth.otp_failed").exists()


def test_backup_code_works_once(client, verifier):
    """SEC-2: a backup code replaces the app code exactly once."""
    from lpse.accounts.services import confirm_totp_device, pending_totp_device

    codes = confirm_totp_device(pending_totp_device(verifier), by=verifier)
    client.force_login(verifier)
    response = client.post(VERIFY, {"token": codes[0].upper(), "next": DASHBOARD})
    assert response["Location"] == DASHBOARD
    assert StaticToken.objects.filter(device__user=verifier).count() == 9

    client.post(reverse("accounts:logout"))
    client.force_login(verifier)
    again = client.post(VERIFY, {"token": codes[0], "next": DASHBOARD})
    assert again.status_code == 200
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_verified_test_helper_session_passes(client, head):
    """SEC-2: the shared `login` helper yields a verified staff session."""
    login(client, head)
    assert client.get(reverse("accounts:staff_list")).status_code == 200


def test_enrolled_user_cannot_re_enrol_without_verifying(client, verifier):
    """SEC-2: the setup page does not hand a new secret to an unverified session."""
    TOTPDevice.objects.create(user=verifier, name="hp", confirmed=True)
    client.force_login(verifier)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=verifier, confirmed=False).exists()
