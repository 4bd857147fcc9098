"""Fixtures of the API tests: named actors with tokens, SOP registry, topics, a local cache.

The cache is local memory: rate-limit counters then cost no database queries (the
query counts of the list endpoints are about the data read) and every test starts
with fresh counters.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.core.cache import cache

from lpse.accounts.choices import Role
from lpse.api.choices import Scope
from lpse.api.services import issue_token
from lpse.conftest import make_user
from lpse.desk.models import Topic
from lpse.sop.services import load_procedures
from lpse.vendors.tests.company_helpers import make_vendor

TOPICS = import_module("lpse.desk.migrations.0002_default_topics").TOPICS


@pytest.fixture(autouse=True)
def api_setup(db, settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    }
    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    load_procedures()
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order * 10})


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, *scopes: str) -> str:
    _token, secret = issue_token(user, name="uji", scopes=list(scopes), by=user)
    return secret


@pytest.fixture
def company_a(db):
    user = make_user("penyedia_a", Role.VENDOR, email="a@maju.co.id")
    return make_vendor(user, name="PT Maju Jaya", tax_id="012345678901234")


@pytest.fixture
def company_b(db):
    user = make_user("penyedia_b", Role.VENDOR, email="b@sejahtera.co.id")
    return make_vendor(user, name="CV Sejahtera", tax_id="098765432109876", verified=False)


@pytest.fixture
def monitor(db):
    return make_user("pemantau_lkpp", Role.LKPP_MONITOR)


ALL_VENDOR_SCOPES = (Scope.VENDOR_READ, Scope.TICKETS_READ, Scope.TICKETS_WRITE)
