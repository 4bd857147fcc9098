"""Own registration, own tickets, monitoring and sensor readings through the API (GEN-3, SEC-1).

Each endpoint: the happy path, and the refusals a user would meet: no token 401,
a token without the scope 403, somebody else's object 404 exactly like the pages.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.accounts.models import UserRole
from lpse.api.choices import Scope
from lpse.audit.models import AuditEvent
from lpse.conftest import make_user
from lpse.desk.choices import TicketStatus
from lpse.desk.models import Ticket, Topic
from lpse.facility import env_services
from lpse.facility.models import Reading
from lpse.ops.models import ProbeRun
from lpse.ops.services import report_condition

from .conftest import bearer, token_for

TICKETS = "/api/v1/tickets"


# --- Vendor registration status ----------------------------------------------------------


def test_gen3_vendor_reads_its_own_registration(client, company_a):
    secret = token_for(company_a.user, Scope.VENDOR_READ)
    body = client.get("/api/v1/vendors/me", **bearer(secret)).json()
    assert body["name"] == "PT Maju Jaya"
    assert body["status"] == "verified" and body["status_label"] == "Terverifikasi"
    assert body["bring_to_desk"] == []
    same = client.get(f"/api/v1/vendors/{company_a.registration_number}", **bearer(secret))
    assert same.json() == body


def test_gen3_pending_vendor_sees_deadline_and_what_to_bring(client, company_b):
    secret = token_for(company_b.user, Scope.VENDOR_READ)
    body = client.get("/api/v1/vendors/me", **bearer(secret)).json()
    assert body["status"] == "pending"
    assert body["working_days_left"] >= 1
    assert body["can_bid"] is False


def test_sec1_vendor_cannot_read_another_companys_registration(client, company_a, company_b):
    secret = token_for(company_a.user, Scope.VENDOR_READ)
    response = client.get(f"/api/v1/vendors/{company_b.registration_number}", **bearer(secret))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    unknown = client.get("/api/v1/vendors/REG-TIDAK-ADA", **bearer(secret))
    assert unknown.json() == response.json()  # no hint that B exists


def test_sec1_registration_needs_token_and_scope(client, company_a):
    assert client.get("/api/v1/vendors/me").status_code == 401
    secret = token_for(company_a.user, Scope.TICKETS_READ)
    response = client.get("/api/v1/vendors/me", **bearer(secret))
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    assert "vendor:read" in response.json()["message"]["en"]


# --- Tickets --------------------------------------------------------------------------------


@pytest.fixture
def topic(db):
    return Topic.objects.filter(is_active=True).first()


def test_gen3_vendor_files_a_ticket_and_writes_on_it(client, company_a, topic):
    secret = token_for(company_a.user, Scope.TICKETS_READ, Scope.TICKETS_WRITE)
    topics = client.get(f"{TICKETS}/topics", **bearer(secret)).json()
    assert topic.name in [t["name"] for t in topics]
    response = client.post(
        TICKETS,
        {"topic": topic.pk, "subject": "Lupa kata sandi", "question": "Bagaimana mengaturnya?"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201
    created = response.json()
    assert created["reference"].startswith("HD-") and created["status"] == "new"
    assert created["messages"][0]["body"] == "Bagaimana mengaturnya?"
    ticket = Ticket.objects.get(pk=created["id"])
    assert ticket.requester == company_a.user and ticket.vendor == company_a
    assert ticket.channel == "web"
    assert AuditEvent.objects.filter(action="desk.ticket_file").count() == 1

    listed = client.get(TICKETS, **bearer(secret)).json()
    assert listed["count"] == 1 and listed["items"][0]["reference"] == created["reference"]

    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.ANSWERED, queue_at=None)
    reply = client.post(
        f"{TICKETS}/{ticket.pk}/messages",
        {"body": "Sudah dicoba, belum bisa."},
        content_type="application/json",
        **bearer(secret),
    )
    assert reply.status_code == 201 and reply.json()["kind"] == "requester"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN  # back to the officers, as from the page
    detail = client.get(f"{TICKETS}/{ticket.pk}", **bearer(secret)).json()
    assert [m["body"] for m in detail["messages"]][-1] == "Sudah dicoba, belum bisa."


def test_sec1_nobody_reads_or_writes_anothers_ticket(client, company_a, company_b, topic):
    secret_a = token_for(company_a.user, Scope.TICKETS_READ, Scope.TICKETS_WRITE)
    created = client.post(
        TICKETS,
        {"topic": topic.pk, "subject": "Rahasia A", "question": "Hanya untuk A"},
        content_type="application/json",
        **bearer(secret_a),
    ).json()
    secret_b = token_for(company_b.user, Scope.TICKETS_READ, Scope.TICKETS_WRITE)
    assert client.get(f"{TICKETS}/{created['id']}", **bearer(secret_b)).status_code == 404
    write = client.post(
        f"{TICKETS}/{created['id']}/messages",
        {"body": "Menyusup"},
        content_type="application/json",
        **bearer(secret_b),
    )
    assert write.status_code == 404
    assert client.get(TICKETS, **bearer(secret_b)).json()["count"] == 0
    # A helpdesk officer sees every ticket in the queue page, but "own tickets" are own only.
    officer = make_user("petugas_hd", Role.HELPDESK)
    secret_hd = token_for(officer, Scope.TICKETS_READ)
    assert client.get(f"{TICKETS}/{created['id']}", **bearer(secret_hd)).status_code == 404


def test_sec1_read_scope_does_not_write_tickets(client, company_a, topic):
    secret = token_for(company_a.user, Scope.TICKETS_READ)
    response = client.post(
        TICKETS,
        {"topic": topic.pk, "subject": "x", "question": "y"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_gen3_ticket_input_errors_are_422_and_change_nothing(client, settings, company_a, topic):
    secret = token_for(company_a.user, Scope.TICKETS_WRITE)
    blank = client.post(
        TICKETS,
        {"topic": topic.pk, "subject": "   ", "question": "nul\u0000"},
        content_type="application/json",
        **bearer(secret),
    )
    assert blank.status_code == 422
    assert {e["loc"][-1] for e in blank.json()["errors"]} == {"subject", "question"}
    unknown = client.post(
        TICKETS,
        {"topic": 999999, "subject": "a", "question": "b"},
        content_type="application/json",
        **bearer(secret),
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_topic"
    broken = client.post(TICKETS, "{not json", content_type="application/json", **bearer(secret))
    assert broken.status_code == 400 and broken.json()["code"] == "bad_request"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    huge = client.post(
        TICKETS,
        {"topic": topic.pk, "subject": "besar", "question": "x" * 2000},
        content_type="application/json",
        **bearer(secret),
    )
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    assert Ticket.objects.count() == 0


def test_gen3_ticket_list_query_count_is_constant(
    client, company_a, topic, django_assert_num_queries
):
    from lpse.desk import services

    secret = token_for(company_a.user, Scope.TICKETS_READ)
    services.file_ticket(by=company_a.user, topic=topic, subject="satu", question="satu")
    client.get(TICKETS, **bearer(secret))  # the token's last use is written once a minute
    # token lookup, count, page (topic joined)
    with django_assert_num_queries(3):
        assert client.get(TICKETS, **bearer(secret)).json()["count"] == 1
    for index in range(8):
        services.file_ticket(by=company_a.user, topic=topic, subject=f"t{index}", question="q")
    with django_assert_num_queries(3):
        assert client.get(TICKETS, **bearer(secret)).json()["count"] == 9


# --- Monitoring -----------------------------------------------------------------------------


def test_gen3_monitor_reads_probes_incidents_and_backups(client, monitor):
    ProbeRun.objects.create(kind="website", level="ok", summary="Situs menjawab 200")
    ProbeRun.objects.create(kind="host", level="warning", summary="Disk 85%")
    report_condition("disk:/", level="warning", title="Disk hampir penuh", value=85.0)
    secret = token_for(monitor, Scope.MONITORING_READ)
    status = client.get("/api/v1/monitoring/status", **bearer(secret)).json()
    assert {p["kind"]: p["level"] for p in status["probes"]} == {
        "website": "ok",
        "host": "warning",
    }
    assert "database" in status["never_ran"]
    assert status["open_incidents"] == 1
    assert status["backup"]["level"] == "critical"  # no verified backup yet
    assert status["level"] == "critical"
    incidents = client.get("/api/v1/monitoring/incidents", **bearer(secret)).json()
    assert incidents["items"][0]["title"] == "Disk hampir penuh"


def test_gen3_incident_list_query_count_is_constant(client, monitor, django_assert_num_queries):
    secret = token_for(monitor, Scope.MONITORING_READ)
    report_condition("disk:/", level="warning", title="Disk hampir penuh", value=85.0)
    client.get("/api/v1/monitoring/incidents", **bearer(secret))  # last use written once
    # token lookup, role check, count, page
    with django_assert_num_queries(4):
        assert client.get("/api/v1/monitoring/incidents", **bearer(secret)).json()["count"] == 1
    for index in range(6):
        report_condition(f"probe:{index}", level="critical", title=f"Pemeriksaan {index} gagal")
    with django_assert_num_queries(4):
        assert client.get("/api/v1/monitoring/incidents", **bearer(secret)).json()["count"] == 7


def test_sec1_monitoring_refuses_other_roles_and_lost_roles(client, company_a, monitor):
    secret = token_for(company_a.user, Scope.TICKETS_READ)
    assert client.get("/api/v1/monitoring/status", **bearer(secret)).status_code == 403
    monitor_secret = token_for(monitor, Scope.MONITORING_READ)
    UserRole.objects.filter(user=monitor).delete()
    response = client.get("/api/v1/monitoring/status", **bearer(monitor_secret))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


# --- Sensor readings ------------------------------------------------------------------------


@pytest.fixture
def sensor_token(sysadmin):
    _sensor, token = env_services.issue_sensor(name="ruang-server", location="", by=sysadmin)
    return token


def test_gen3_sensor_pushes_readings_with_its_own_token(client, sensor_token):
    response = client.post(
        "/api/v1/sensors/readings",
        {
            "readings": [
                {"quantity": "temperature", "value": 23.5},
                {"quantity": "door", "value": 1},
            ]
        },
        content_type="application/json",
        **bearer(sensor_token),
    )
    assert response.status_code == 201
    assert response.json()["stored"] == 2
    assert list(Reading.objects.order_by("pk").values_list("place", "quantity", "value")) == [
        ("ruang-server", "temperature", 23.5),
        ("ruang-server", "door", 1.0),
    ]


def test_sec1_sensor_endpoint_takes_no_user_token_and_refuses_bad_values(
    client, sensor_token, company_a
):
    user_secret = token_for(company_a.user, Scope.TICKETS_READ)
    payload = {"readings": [{"quantity": "temperature", "value": 23.5}]}
    refused = client.post(
        "/api/v1/sensors/readings", payload, content_type="application/json", **bearer(user_secret)
    )
    assert refused.status_code == 401
    bad = client.post(
        "/api/v1/sensors/readings",
        {
            "readings": [
                {"quantity": "temperature", "value": 23},
                {"quantity": "humidity", "value": 400},
            ]
        },
        content_type="application/json",
        **bearer(sensor_token),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_reading"
    message = bad.json()["message"]  # GEN-3: the refusal in both languages, bounds filled in
    assert message["id"].startswith("Nilai Kelembaban relatif (%) harus antara 0.0 dan 100.0")
    assert message["en"].startswith("The value of Relative humidity (%) must be between")
    naive = client.post(
        "/api/v1/sensors/readings",
        {"readings": [{"quantity": "temperature", "value": 23, "at": "2026-11-29T10:00:00"}]},
        content_type="application/json",
        **bearer(sensor_token),
    )
    assert naive.status_code == 422
    assert Reading.objects.count() == 0  # all of a push or nothing


def test_gen3_sensor_limit_is_shared_with_the_facility_endpoint(client, settings, sensor_token):
    settings.LPSE_SENSOR_READINGS_PER_MINUTE = 2
    payload = {"readings": [{"quantity": "temperature", "value": 23.5}]}
    first = client.post(
        "/fasilitas/sensor/", payload, content_type="application/json", **bearer(sensor_token)
    )
    assert first.status_code == 201
    codes = [
        client.post(
            "/api/v1/sensors/readings",
            payload,
            content_type="application/json",
            **bearer(sensor_token),
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in codes] == [201, 429]
    assert codes[1]["Retry-After"] == "60"
    assert codes[1].json()["code"] == "rate_limited"


def test_gen3_expired_token_is_refused_everywhere(client, company_a):
    from lpse.api.models import ApiToken

    secret = token_for(company_a.user, Scope.VENDOR_READ)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/vendors/me", **bearer(secret)).status_code == 401
