"""GEN-3, BID-2: the data migration that turns upload tokens into API tokens: the same secret
keeps working on tus and the API, with scopes bids:write and bids:read; revoked stays revoked."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.api.models import ApiToken
from lpse.api.selectors import active_token
from lpse.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bids", "0001_initial")]
AFTER = [("bids", "0002_upload_tokens_to_api_tokens")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_gen3_upload_tokens_become_api_tokens_with_the_same_secret():
    """GEN-3, BID-2: a vendor's existing upload token authenticates after the migration as an
    API token (bids:write, bids:read) with its label, dates and revocation."""
    vendor = make_user("pt_lama", Role.VENDOR)
    live_secret, revoked_secret = "lpse_token-lama-yang-masih-dipakai", "lpse_token-dicabut"
    created = timezone.now() - timedelta(days=30)
    old_apps = migrate(BEFORE)
    try:
        UploadToken = old_apps.get_model("bids", "UploadToken")
        for secret, label, revoked in (
            (live_secret, "laptop kantor", None),
            (revoked_secret, "", timezone.now() - timedelta(days=1)),
        ):
            UploadToken.objects.create(
                user_id=vendor.pk,
                token_sha256=hashlib.sha256(secret.encode()).hexdigest(),
                label=label,
                created_at=created,
                revoked_at=revoked,
            )
    finally:
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    token = active_token(live_secret)
    assert token is not None and token.user == vendor
    assert token.scopes == ["bids:write", "bids:read"]
    assert token.name == "laptop kantor" and token.created_at == created
    assert active_token(revoked_secret) is None
    assert ApiToken.objects.get(revoked_at__isnull=False).name == "lpse-seal"
    response = Client().get("/api/v1/tokens/me", HTTP_AUTHORIZATION=f"Bearer {live_secret}")
    assert response.status_code == 200 and response.json()["scopes"] == token.scopes
    assert "bids_uploadtoken" not in connection.introspection.table_names()
