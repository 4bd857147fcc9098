"""Schemathesis against the running API: every operation, positive and negative data (GEN-3).

The app runs for real (pytest-django's `live_server`, a threaded WSGI server on the
test database). The OpenAPI document is read from /api/v1/openapi.json, and each
operation is called with generated data that fits its schema and with data that
does not, carrying a valid token: a user's token with every scope for the user
endpoints, a sensor's token for the sensor endpoint. Each response must be no
server error, a status the document declares, the declared content type, a body
valid against the declared schema, and invalid input must be refused with a 4xx.
Rate limits are raised for this test so that it never meets a 429 by volume.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from lpse.api.choices import Scope
from lpse.api.services import issue_token
from lpse.conftest import make_user
from lpse.facility import env_services
from lpse.tenders.tests.public_data import (
    LATER_FROM_UPLOAD,
    START,
    approve_change,
    make_tender,
    people,
)
from lpse.vendors.tests.company_helpers import make_vendor

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_world(live_server, settings, transactional_db):
    """Data for every operation to find something, and the tokens to call them."""
    settings.LPSE_API_RATE_ANON = "100000/m"
    settings.LPSE_API_RATE_TOKEN = "100000/m"
    settings.LPSE_SENSOR_READINGS_PER_MINUTE = 100000
    who = people()
    tender = make_tender(who, "10000001")
    approve_change(tender, who, LATER_FROM_UPLOAD, "Adendum", START + timedelta(days=4))
    make_tender(who, "10000002", status="cancelled")
    # A superuser may take every scope; with its own company it reaches every endpoint.
    owner = make_user("pemilik_token", is_superuser=True, email="pemilik@contoh.co.id")
    make_vendor(owner, name="PT Uji Schemathesis", tax_id="011111111111111")
    _token, user_secret = issue_token(owner, name="fuzz", scopes=list(Scope.values), by=owner)
    _sensor, sensor_secret = env_services.issue_sensor(name="ruang-uji", location="", by=owner)
    return {"user": user_secret, "sensor": sensor_secret, "url": live_server.url}


def served_document() -> dict:
    """The OpenAPI document /api/v1/openapi.json serves (checked against the live one below).

    Read at collection so that every operation is its own test item (schemathesis's lazy
    fixture loader does not run on pytest 9)."""
    from lpse.api.api import api

    return api.get_openapi_schema()


schema = schemathesis.openapi.from_dict(served_document())


def test_gen3_fuzzed_document_is_the_one_the_server_serves(live_server, transactional_db):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json") as response:
        assert json.load(response) == json.loads(json.dumps(served_document()))


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_gen3_api_answers_every_generated_request_as_documented(case, api_world):
    """No 5xx, no undeclared status, bodies valid against the schema, bad input refused."""
    requirements = case.operation.definition.raw.get("security", [])
    uses_sensor = any("SensorAuth" in requirement for requirement in requirements)
    secret = api_world["sensor"] if uses_sensor else api_world["user"]
    case.call_and_validate(
        base_url=api_world["url"], headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS
    )
