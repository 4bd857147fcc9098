"""AUD-1, SEC-2: logins, logouts and failed logins are in the audit chain."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from lpse.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_aud1_failed_login_records_the_username_and_address_but_not_the_password(verifier):
    request = RequestFactory().post("/akun/masuk/", REMOTE_ADDR="198.51.100.7")
    assert authenticate(request, username="verifikator", password="salah-sekali-12") is None
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.after == {"username": "verifikator"}
    assert event.ip == "198.51.100.7"
    assert event.actor is None
    assert "salah-sekali-12" not in str(event.before) + str(event.after) + event.summary


def test_aud1_login_and_logout_are_recorded(client, verifier):
    client.force_login(verifier)  # runs django.contrib.auth.login() with a request
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == verifier
    assert login.target_id == str(verifier.pk)
    client.logout()
    logout = AuditEvent.objects.get(action="auth.logout")
    assert logout.actor == verifier
    assert logout.seq == login.seq + 1
