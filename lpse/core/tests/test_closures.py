"""SOP-4: the head of the LPSE records local closures; deadlines follow them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.audit.selectors import events_for
from lpse.conftest import login
from lpse.core import calendar
from lpse.core.models import Closure

pytestmark = pytest.mark.django_db

URL = reverse("core:closures")


def test_sop4_head_adds_a_closure_and_deadlines_skip_it(client, head):
    login(client, head)
    assert calendar.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)
    response = client.post(
        f"{URL}?tahun=2026",
        {"action": "add", "date": "2026-03-05", "name": "HUT Kabupaten Tangerang"},
    )
    assert response.status_code == 302
    closure = Closure.objects.get(date=date(2026, 3, 5))
    assert closure.created_by == head
    assert calendar.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 10)
    event = events_for(closure).get()
    assert event.action == "core.closure_add"
    assert event.actor == head
    assert event.after == {"date": "2026-03-05", "name": "HUT Kabupaten Tangerang"}
    page = client.get(response["Location"])
    assert "HUT Kabupaten Tangerang" in page.content.decode()


def test_sop4_head_removes_a_closure_and_it_is_audited(client, head):
    closure = Closure.objects.create(date=date(2026, 3, 5), name="Pindah kantor")
    login(client, head)
    response = client.post(URL, {"action": "remove", "closure": closure.pk})
    assert response.status_code == 302
    assert not Closure.objects.exists()
    assert calendar.is_working_day(date(2026, 3, 5))
    event = AuditEvent.objects.get(action="core.closure_remove")
    assert event.before == {"date": "2026-03-05", "name": "Pindah kantor"}
    assert event.target_id == str(closure.pk)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-21", "Sabtu atau Minggu"),
        ("2026-03-23", "Cuti Bersama Hari Raya Idul Fitri"),
        ("2026-13-01", "Tanggal tidak valid"),
        ("", "Tanggal wajib diisi"),
    ],
)
def test_sop4_bad_closure_dates_are_refused_next_to_the_field(client, head, day, message):
    login(client, head)
    response = client.post(URL, {"action": "add", "date": day, "name": "Libur"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert not Closure.objects.exists()
    assert not AuditEvent.objects.filter(action="core.closure_add").exists()


def test_sop4_duplicate_closure_is_refused(client, head):
    Closure.objects.create(date=date(2026, 3, 5), name="Pindah kantor")
    login(client, head)
    response = client.post(URL, {"action": "add", "date": "2026-03-05", "name": "Lagi"})
    assert response.status_code == 400
    assert "sudah tercatat" in response.content.decode()
    assert Closure.objects.get().name == "Pindah kantor"


def test_sop4_calendar_page_lists_the_years_national_holidays(client, head):
    login(client, head)
    body = client.get(URL, {"tahun": 2026}).content.decode()
    assert "Hari Raya Idul Fitri" in body
    assert "Cuti Bersama Hari Raya Natal" in body
    assert "cuti bersama" in body
    other = client.get(URL, {"tahun": "bukan-tahun"})
    assert other.status_code == 200


@pytest.mark.parametrize("actor", ["verifier", "appadmin", "outsider", "vendor"])
def test_sec1_only_the_head_manages_closures(client, request, actor):
    """SEC-1: the calendar is the head's; everyone else is refused and nothing changes."""
    user = request.getfixturevalue(actor)
    login(client, user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"action": "add", "date": "2026-03-05", "name": "Libur"})
    assert response.status_code == 403
    assert not Closure.objects.exists()


def test_sop4_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
