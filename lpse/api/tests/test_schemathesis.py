"""Schemathesis against the running API: every operation, positive and negative data (GEN-3).

The app runs for real (pytest-django's live server: a threaded WSGI server on the
test database, on a real socket). The OpenAPI document is read from /api/v1/openapi.json, and each
operation is called with generated data that fits its schema and with data that
does not, carrying a valid token: a user's token with every scope for the user
endpoints, a sensor's token for the sensor endpoint. Each response must be no
server error, a status the document declares, the declared content type, a body
valid against the declared schema.
Rate limits are raised for this test so that it never meets a 429 by volume.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta
from importlib import import_module

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from hypothesis import HealthCheck, settings
from pytest_django.live_server_helper import LiveServer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lpse.api.choices import Scope
from lpse.api.services import issue_token
from lpse.conftest import make_user
from lpse.desk.models import Topic
from lpse.facility import env_services
from lpse.sop.services import load_procedures
from lpse.tenders.tests.public_data import (
    LATER_FROM_UPLOAD,
    START,
    approve_change,
    make_tender,
    people,
)
from lpse.vendors.tests.company_helpers import make_vendor

pytestmark = pytest.mark.slow
TOPICS = import_module("lpse.desk.migrations.0002_default_topics").TOPICS

#: Negative data must meet these too. schemathesis's `negative_data_rejection` is left
#: out: it also counts a request whose only fault is an unknown query parameter name
#: (which this API ignores, as HTTP APIs usually do) as "accepted invalid data".
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


LIMITS = {
    "LPSE_API_RATE_ANON": "100000/m",
    "LPSE_API_RATE_TOKEN": "100000/m",
    "LPSE_SENSOR_READINGS_PER_MINUTE": 100000,
    "CACHES": {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "st"}
    },
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@pytest.fixture(autouse=True)
def api_setup():
    """Replaces the package's per-test setup: this module's data lives for the whole module."""


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The app served on a real socket, data for every operation, and the tokens to call them.

    One server and one data set for all operations (a flush per operation would cost
    seconds each on PostgreSQL); the tables are flushed once when the module ends.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(**LIMITS, MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        cache.clear()
        load_procedures()
        for order, name in enumerate(TOPICS, start=1):
            Topic.objects.get_or_create(name=name, defaults={"order": order * 10})
        who = people()
        tender = make_tender(who, "10000001")
        approve_change(tender, who, LATER_FROM_UPLOAD, "Adendum", START + timedelta(days=4))
        make_tender(who, "10000002", status="cancelled")
        # A superuser may take every scope; with its own company it reaches every endpoint.
        owner = make_user("pemilik_token", is_superuser=True, email="pemilik@contoh.co.id")
        make_vendor(owner, name="PT Uji Schemathesis", tax_id="011111111111111")
        _token, user_secret = issue_token(owner, name="fuzz", scopes=list(Scope.values), by=owner)
        _sensor, sensor_secret = env_services.issue_sensor(name="ruang-uji", location="", by=owner)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield {"user": user_secret, "sensor": sensor_secret, "url": server.url}
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def served_document() -> dict:
    """The OpenAPI document /api/v1/openapi.json serves (checked against the live one below).

    Read at collection so that every operation is its own test item (schemathesis's lazy
    fixture loader does not run on pytest 9)."""
    from lpse.api.api import api

    return api.get_openapi_schema()


schema = schemathesis.openapi.from_dict(served_document())


def test_gen3_fuzzed_document_is_the_one_the_server_serves(api_world):
    url = f"{api_world['url']}/api/v1/openapi.json"
    with urllib.request.urlopen(url) as response:  # noqa: S310 - http to our own test server
        assert json.load(response) == json.loads(json.dumps(served_document()))


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_gen3_api_answers_every_generated_request_as_documented(case, api_world):
    """No 5xx, no undeclared status, declared content types, bodies valid against the schema."""
    requirements = case.operation.definition.raw.get("security", [])
    uses_sensor = any("SensorAuth" in requirement for requirement in requirements)
    secret = api_world["sensor"] if uses_sensor else api_world["user"]
    # Connection: close: each request's server thread ends with its HTTP connection.
    headers = {"Authorization": f"Bearer {secret}", "Connection": "close"}
    case.call_and_validate(base_url=api_world["url"], headers=headers, checks=CHECKS)


@pytest.mark.django_db
def test_gen3_openapi_declares_the_errors_each_operation_can_answer():
    """Input errors and the rate limit everywhere; token errors where a token is needed;
    the read-only 503 on every write a maintenance window refuses (the sensor push is
    let through, monitoring goes on)."""
    document = json.loads(json.dumps(served_document()))
    operations = [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 16
    for method, path, operation in operations:
        codes = set(operation["responses"])
        assert {"422", "429"} <= codes, (method, path)
        if operation.get("security") == [{"TokenAuth": []}]:
            assert {"401", "403"} <= codes, (method, path)
        if method == "post" and path != "/api/v1/sensors/readings":
            assert "503" in codes, (method, path)
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)
    schemes = document["components"]["securitySchemes"]
    assert schemes["SensorAuth"] == {"type": "http", "scheme": "bearer"}
