"""Rate limits, the read-only maintenance mode and the token page (GEN-3, SEC-1, MON-5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.api.choices import Scope
from lpse.api.models import ApiToken
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.desk.models import Ticket, Topic
from lpse.facility import env_services
from lpse.facility.choices import WindowStatus
from lpse.facility.models import MaintenanceWindow

from .conftest import bearer, token_for

# --- Rate limits ----------------------------------------------------------------------------


def test_gen3_address_limit_answers_429_with_retry_after_and_error_body(client, settings):
    settings.LPSE_API_RATE_ANON = "3/m"
    codes = [client.get("/api/v1/tenders").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/tenders")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["message"]["en"] == "Too many requests. Try again later."
    assert 1 <= body["retry_after"] <= 61
    # Another address has its own budget.
    assert client.get("/api/v1/tenders", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_gen3_token_limit_is_per_token_not_per_address(client, settings, company_a):
    settings.LPSE_API_RATE_TOKEN = "2/m"
    first = token_for(company_a.user, Scope.VENDOR_READ)
    second = token_for(company_a.user, Scope.VENDOR_READ)
    codes = [client.get("/api/v1/vendors/me", **bearer(first)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/vendors/me", **bearer(second)).status_code == 200
    # Requests with a token do not eat the address's anonymous budget.
    settings.LPSE_API_RATE_ANON = "1/m"
    assert client.get("/api/v1/tenders").status_code == 200


# --- Read-only maintenance (MON-5) --------------------------------------------------------


@pytest.fixture
def read_only_window(sysadmin):
    now = timezone.now()
    return MaintenanceWindow.objects.create(
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=55),
        services="Seluruh aplikasi",
        message="Pembaruan server.",
        read_only=True,
        status=WindowStatus.SCHEDULED,
        created_by=sysadmin,
    )


def test_gen3_api_writes_get_a_json_503_during_read_only_maintenance(
    client, company_a, read_only_window
):
    secret = token_for(company_a.user, Scope.TICKETS_READ, Scope.TICKETS_WRITE)
    topic = Topic.objects.filter(is_active=True).first()
    response = client.post(
        "/api/v1/tickets",
        {"topic": topic.pk, "subject": "Saat pemeliharaan", "question": "Bisa?"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert 3000 <= int(response["Retry-After"]) <= 3300
    body = response.json()
    assert body["code"] == "read_only"
    assert body["message"]["en"].startswith("The system is under maintenance")
    assert Ticket.objects.count() == 0
    # Reads go on, and so do sensor readings.
    assert client.get("/api/v1/tickets", **bearer(secret)).status_code == 200
    _sensor, sensor_token = env_services.issue_sensor(
        name="ruang-server", location="", by=read_only_window.created_by
    )
    pushed = client.post(
        "/api/v1/sensors/readings",
        {"readings": [{"quantity": "temperature", "value": 24.0}]},
        content_type="application/json",
        **bearer(sensor_token),
    )
    assert pushed.status_code == 201
    # The pages keep their HTML 503.
    page = client.post("/layanan/tiket/baru/", {"subject": "x"})
    assert page.status_code == 503 and page["Content-Type"].startswith("text/html")


# --- The token page -------------------------------------------------------------------------

PAGE = "/akun/token-api/"


def test_gen3_token_page_issues_a_token_shown_once_and_revokes_it(client, company_a):
    login(client, company_a.user)
    page = client.get(PAGE)
    assert page.status_code == 200
    scopes = [value for value, _label in page.context["form"].fields["scopes"].choices]
    assert scopes == ["vendor:read", "tickets:read", "tickets:write", "bids:read", "bids:write"]
    issued = client.post(
        PAGE, {"name": "lpse-seal", "scopes": ["bids:write"], "expires_on": ""}, follow=False
    )
    assert issued.status_code == 200
    assert issued["Cache-Control"] == "no-store"
    secret = issued.context["secret"]
    assert secret.startswith("lpse_") and secret in issued.content.decode()
    assert secret not in client.get(PAGE).content.decode()  # shown once
    token = ApiToken.objects.get()
    assert token.scopes == ["bids:write"] and token.expires_at is None
    assert AuditEvent.objects.filter(action="api.token_issued").count() == 1

    revoked = client.post(reverse("apitokens:revoke", args=[token.pk]))
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/tokens/me", **bearer(secret)).status_code == 401


def test_sec1_token_page_refuses_scopes_beyond_the_role_and_past_expiry(client, company_a):
    login(client, company_a.user)
    response = client.post(PAGE, {"name": "x", "scopes": ["monitoring:read"]})
    assert response.status_code == 400
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(PAGE, {"name": "x", "scopes": ["tickets:read"], "expires_on": yesterday})
    assert response.status_code == 400
    assert "masa lalu" in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_gen3_token_expires_at_the_end_of_the_chosen_day_in_wib(client, company_a):
    login(client, company_a.user)
    day = timezone.localdate() + timedelta(days=3)
    client.post(PAGE, {"name": "x", "scopes": ["tickets:read"], "expires_on": day.isoformat()})
    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert (expires.date(), expires.hour, expires.minute) == (day + timedelta(days=1), 0, 0)


def test_sec1_nobody_revokes_anothers_token(client, company_a, company_b):
    token_for(company_b.user, Scope.TICKETS_READ)
    other = ApiToken.objects.get()
    login(client, company_a.user)
    assert client.post(reverse("apitokens:revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert "uji" not in client.get(PAGE).content.decode()  # not listed either


def test_sec1_token_page_needs_login_and_staff_second_factor(client, db):
    assert client.get(PAGE).status_code == 302
    officer = make_user("petugas_token", Role.HELPDESK)
    client.force_login(officer)  # password only, no TOTP step
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/akun/" in response.url and "token-api" in response.url
