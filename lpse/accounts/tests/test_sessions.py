"""SEC-2: staff sessions end after 30 minutes idle and 12 hours at most."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.middleware import SESSION_SEEN
from lpse.conftest import login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("core:dashboard")


def test_staff_session_ends_after_30_minutes_idle(client, helpdesk):
    """SEC-2: 31 minutes without a request logs a staff user out, with a message."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, helpdesk)
        assert client.get(DASHBOARD).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(DASHBOARD).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        page = client.get(response["Location"])
    assert "tidak aktif" in page.text
    assert "_auth_user_id" not in client.session


def test_staff_session_ends_after_12_hours_even_when_active(client, helpdesk):
    """SEC-2: a staff session lasts 12 hours at most, however busy."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, helpdesk)
        client.get(DASHBOARD)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(DASHBOARD).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_vendor_session_has_no_idle_limit(client, vendor):
    """SEC-2: the staff limits do not apply to vendors (their session cookie age does)."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, vendor)
        client.get(DASHBOARD)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert client.get(DASHBOARD).status_code == 200


def test_last_seen_is_written_at_most_once_a_minute(client, helpdesk):
    """SEC-2: requests within a minute do not rewrite the session row."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, helpdesk)
        client.get(DASHBOARD)
    first = client.session[SESSION_SEEN]
    key = client.session.session_key
    saved = Session.objects.get(pk=key).expire_date
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(DASHBOARD)
    assert client.session[SESSION_SEEN] == first
    assert Session.objects.get(pk=key).expire_date == saved
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(DASHBOARD)
    assert client.session[SESSION_SEEN] == first + 61
