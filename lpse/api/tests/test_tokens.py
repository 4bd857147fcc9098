"""API tokens and the shape of API errors (GEN-3, SEC-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.api.choices import Scope
from lpse.api.models import ApiToken
from lpse.api.services import issue_token, revoke_token
from lpse.audit.models import AuditEvent
from lpse.conftest import make_user

ME = "/api/v1/tokens/me"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def vendor_token(vendor):
    return issue_token(vendor, name="lpse-seal", scopes=[Scope.BIDS_WRITE], by=vendor)


def test_gen3_token_secret_is_shown_once_and_only_its_hash_is_stored(vendor_token):
    token, secret = vendor_token
    assert secret.startswith("lpse_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.token_hash, stored.prefix, stored.name)
    assert secret.startswith(stored.prefix)
    assert AuditEvent.objects.filter(action="api.token_issued").count() == 1


def test_gen3_token_answers_with_its_owner_and_scopes(client, vendor_token):
    token, secret = vendor_token
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "pt_maju_jaya"
    assert response.json()["scopes"] == ["bids:write"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer lpse_tidak-dikenal", "Basic dXNlcjpwYXNz"])
def test_gen3_missing_or_unknown_token_is_a_json_401_in_both_languages(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(ME, **extra)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert body["message"]["id"].startswith("Token API tidak ada")
    assert body["message"]["en"].startswith("The API token is missing")


def test_gen3_revoked_or_expired_token_is_refused(client, vendor, vendor_token):
    token, secret = vendor_token
    revoke_token(token, by=vendor)
    assert client.get(ME, **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(action="api.token_revoked").count() == 1

    expiring, secret2 = issue_token(
        vendor,
        name="sementara",
        scopes=[Scope.BIDS_READ],
        expires_at=timezone.now() + timedelta(hours=1),
        by=vendor,
    )
    assert client.get(ME, **bearer(secret2)).status_code == 200
    ApiToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME, **bearer(secret2)).status_code == 401


def test_gen3_token_of_a_deactivated_user_is_refused(client, vendor, vendor_token):
    _, secret = vendor_token
    vendor.is_active = False
    vendor.save(update_fields=["is_active"])
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_sec1_a_token_only_takes_scopes_the_roles_allow(vendor, db):
    with pytest.raises(ValidationError):
        issue_token(vendor, name="x", scopes=[Scope.MONITORING_READ], by=vendor)
    monitor = make_user("pemantau", Role.LKPP_MONITOR)
    token, _ = issue_token(monitor, name="dasbor", scopes=[Scope.MONITORING_READ], by=monitor)
    assert token.scopes == ["monitoring:read"]
    with pytest.raises(ValidationError):
        issue_token(monitor, name="x", scopes=[Scope.BIDS_WRITE], by=monitor)
    assert ApiToken.objects.count() == 1


def test_gen3_openapi_document_declares_the_error_codes(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    responses = document["paths"]["/api/v1/tokens/me"]["get"]["responses"]
    assert {"200", "401", "403", "422", "429"} <= set(responses)
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message"]


def test_gen3_unknown_api_path_is_not_an_html_page(client, db):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.post("/api/v1/tidak/ada/juga").json()["message"]["en"] == "Not found."
