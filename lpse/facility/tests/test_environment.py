"""Environment readings, sensor tokens and alarms through the incidents API (INF-3)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.ops.choices import IncidentStatus, Level
from lpse.ops.models import Incident

from .. import env_services
from ..choices import Quantity
from ..models import Reading, Sensor

URL = "/fasilitas/sensor/"


def push(client, token, payload, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        URL,
        data=json.dumps(payload) if not isinstance(payload, bytes) else payload,
        content_type=extra.pop("content_type", "application/json"),
        **headers,
        **extra,
    )


@pytest.fixture
def sensor_token(sysadmin):
    sensor, token = env_services.issue_sensor(name="ruang-server-1", location="Rak A", by=sysadmin)
    return sensor, token


def test_push_url_is_the_documented_one():
    """INF-3: the endpoint lives at POST /fasilitas/sensor/."""
    assert reverse("facility:sensor_push") == URL


@pytest.mark.django_db
def test_sensor_token_is_required_and_only_its_hash_is_stored(client, sensor_token):
    """INF-3: no token, a wrong token -> 401 JSON; the token itself is never stored."""
    _sensor, token = sensor_token
    reading = {"quantity": "temperature", "value": 22.5}
    response = push(client, None, reading)
    assert response.status_code == 401
    assert response.json()["error"] == "token"
    assert "Token sensor" in response.json()["message"]
    assert push(client, token + "x", reading).status_code == 401
    assert not Reading.objects.exists()
    stored = Sensor.objects.get()
    assert token not in (stored.token_hash, stored.token_hint)
    assert stored.token_hash == env_services.token_hash(token)
    response = push(client, token, {"readings": [reading]})
    assert response.status_code == 201
    assert response.json() == {"stored": 1, "levels": ["ok"]}


@pytest.mark.django_db
def test_revoked_sensor_token_is_refused(client, sysadmin, sensor_token):
    """INF-3: the sysadmin revokes a token; it stops working at once (audited)."""
    sensor, token = sensor_token
    login(client, sysadmin)
    response = client.post(reverse("facility:sensor_revoke", args=[sensor.pk]))
    assert response.status_code == 302
    assert push(client, token, {"quantity": "temperature", "value": 22}).status_code == 401
    assert AuditEvent.objects.filter(action="facility.sensor_revoked").exists()


@pytest.mark.django_db
def test_bad_payloads_answer_clear_json_errors_and_store_nothing(client, sensor_token):
    """INF-3: malformed JSON, a wrong shape, an unknown quantity, a naive time,
    an impossible value, a non-JSON body: 4xx with a code and an Indonesian message."""
    _sensor, token = sensor_token
    cases = [
        (b"{not json", "json"),
        ([1, 2], "shape"),
        ({"quantity": "pressure", "value": 1}, "reading"),
        ({"quantity": "temperature", "value": "hot"}, "reading"),
        ({"quantity": "humidity", "value": 140}, "reading"),
        ({"quantity": "water", "value": 0.5}, "reading"),
        ({"quantity": "temperature", "value": 22, "at": "2026-11-29T10:00:00"}, "at"),
        (
            {"readings": [{"quantity": "temperature", "value": 22}, {"quantity": "x"}]},
            "reading",
        ),
    ]
    for payload, code in cases:
        response = push(client, token, payload)
        assert response.status_code == 400, payload
        assert response.json()["error"] == code
        assert response.json()["message"]
    response = push(client, token, b"a=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert client.get(URL).status_code == 405
    assert not Reading.objects.exists()


@pytest.mark.django_db
@override_settings(LPSE_SENSOR_READINGS_PER_MINUTE=3)
def test_sensor_pushing_too_often_gets_429(client, sensor_token):
    """INF-3: rate-sane: more than the allowed pushes per minute answer 429."""
    _sensor, token = sensor_token
    reading = {"quantity": "temperature", "value": 22}
    codes = [push(client, token, reading).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]


@pytest.mark.django_db
def test_out_of_bounds_reading_opens_an_incident_and_in_bounds_closes_it(
    client, sysadmin, sensor_token, django_capture_on_commit_callbacks
):
    """INF-3: 22 +/- 2 C: 24.6 C opens a warning incident `env:<sensor>:temperature`
    (e-mailed to the sysadmin); 23.8 C stays (hysteresis); 23.2 C closes it."""
    _sensor, token = sensor_token
    key = "env:ruang-server-1:temperature"
    with pytest.raises(Incident.DoesNotExist):
        Incident.objects.get(key=key)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, token, {"quantity": "temperature", "value": 24.6})
    assert response.json()["levels"] == ["warning"]
    incident = Incident.objects.get(key=key)
    assert incident.status == IncidentStatus.OPEN and incident.level == Level.WARNING
    assert "/fasilitas/lingkungan/" in incident.evidence_url
    assert any(sysadmin.email in message.to for message in mail.outbox)
    push(client, token, {"quantity": "temperature", "value": 27})
    incident.refresh_from_db()
    assert incident.level == Level.CRITICAL
    push(client, token, {"quantity": "temperature", "value": 23.8})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN and incident.level == Level.WARNING
    push(client, token, {"quantity": "temperature", "value": 23.2})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert Incident.objects.filter(key=key).count() == 1


@pytest.mark.django_db
def test_water_alarm_is_critical_and_clears(client, sensor_token):
    """INF-3: a water leak (1) opens a critical incident; 0 closes it."""
    _sensor, token = sensor_token
    push(client, token, {"quantity": "water", "value": 1})
    incident = Incident.objects.get(key="env:ruang-server-1:water")
    assert incident.level == Level.CRITICAL
    push(client, token, {"quantity": "water", "value": False})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_levels_follow_the_regulations_bounds_with_hysteresis():
    """INF-3: temperature 22 +/- 2 C and RH 50 +/- 5 % (Lampiran IV 4.1 butir 4)."""
    level = env_services.level_of
    assert level(Quantity.TEMPERATURE, 22) == "ok"
    assert level(Quantity.TEMPERATURE, 24) == "ok"
    assert level(Quantity.TEMPERATURE, 19.9) == "warning"
    assert level(Quantity.TEMPERATURE, 26.5) == "critical"
    assert level(Quantity.TEMPERATURE, 23.7, "warning") == "warning"
    assert level(Quantity.TEMPERATURE, 23.5, "warning") == "ok"
    assert level(Quantity.TEMPERATURE, 25.8, "critical") == "critical"
    assert level(Quantity.TEMPERATURE, 25.4, "critical") == "warning"
    assert level(Quantity.HUMIDITY, 55) == "ok"
    assert level(Quantity.HUMIDITY, 44) == "warning"
    assert level(Quantity.HUMIDITY, 54.5, "warning") == "warning"
    assert level(Quantity.UPS, 30) == "warning"
    assert level(Quantity.UPS, 10) == "critical"
    assert level(Quantity.POWER, 0) == "critical"
    assert level(Quantity.DOOR, 1) == "warning"


@pytest.mark.django_db
def test_manual_reading_on_the_page_is_audited_and_shown(client, sysadmin, head):
    """INF-3: the sysadmin enters a reading by hand; the page shows the latest value;
    the head may read but not enter."""
    login(client, sysadmin)
    response = client.post(
        reverse("facility:environment"),
        {"place": "Ruang server", "quantity": "humidity", "value": "48", "at": "2026-11-29T09:00"},
    )
    assert response.status_code == 302
    reading = Reading.objects.get()
    assert reading.level == "ok" and reading.entered_by == sysadmin
    assert AuditEvent.objects.filter(action="facility.reading_entered").exists()
    client.logout()
    login(client, head)
    page = client.get(reverse("facility:environment")).content.decode()
    assert 'data-reading="Ruang server:humidity"' in page
    assert "Catat pembacaan manual" not in page
    response = client.post(
        reverse("facility:environment"),
        {"place": "Ruang server", "quantity": "humidity", "value": "48", "at": "2026-11-29T09:00"},
    )
    assert Reading.objects.count() == 1


@pytest.mark.django_db
def test_sensor_token_page_shows_the_token_once(client, sysadmin):
    """INF-3: the sysadmin issues a token and sees it once; later only a hint."""
    login(client, sysadmin)
    response = client.post(reverse("facility:sensors"), {"name": "rak-b", "location": "Rak B"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "lpse-sensor-" in page
    assert response["Cache-Control"] == "no-store"
    assert "lpse-sensor-" not in client.get(reverse("facility:sensors")).content.decode()
    assert AuditEvent.objects.filter(action="facility.sensor_issued").exists()


@pytest.mark.django_db
def test_chart_data_has_points_and_the_regulations_bounds(client, head, sysadmin):
    """INF-3: the chart data of the last 7 days carries the 20-24 C and 45-55 % bounds."""
    env_services.record_reading(place="Ruang server", quantity="temperature", value=23.5)
    env_services.record_reading(place="Ruang server", quantity="humidity", value=52)
    login(client, head)
    charts = client.get(reverse("facility:environment_data")).json()["charts"]
    by_quantity = {chart["quantity"]: chart for chart in charts}
    assert (by_quantity["temperature"]["low"], by_quantity["temperature"]["high"]) == (20, 24)
    assert (by_quantity["humidity"]["low"], by_quantity["humidity"]["high"]) == (45, 55)
    assert by_quantity["temperature"]["points"][0][1] == 23.5
