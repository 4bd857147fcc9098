"""AUD-1: the audit list page for the head, appadmin and sysadmin (SEC-1)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from lpse.accounts.models import WorkUnit
from lpse.audit.models import AuditEvent
from lpse.audit.services import record
from lpse.conftest import login

pytestmark = pytest.mark.django_db

URL = reverse("audit:list")


@pytest.fixture
def unit():
    return WorkUnit.objects.create(code="DPUPR", name="Dinas Pekerjaan Umum")


@pytest.mark.parametrize("actor", ["head", "appadmin", "sysadmin"])
def test_aud1_head_and_admins_see_the_event_list(client, request, actor, unit):
    user = request.getfixturevalue(actor)
    record("core.unit_rename", actor=user, target=unit, summary="Nama satuan kerja diubah")
    login(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "core.unit_rename" in body
    assert "Nama satuan kerja diubah" in body
    assert "Utuh" in body


@pytest.mark.parametrize("actor", ["verifier", "helpdesk", "committee", "vendor", "outsider"])
def test_sec1_other_roles_are_refused_the_audit_trail(client, request, actor):
    login(client, request.getfixturevalue(actor))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.verify").exists()


def test_aud1_list_shows_before_and_after_of_changed_fields(client, head, unit):
    record(
        "core.unit_rename",
        actor=head,
        target=unit,
        before={"name": "Dinas PU", "code": "DPUPR"},
        after={"name": "Dinas Bina Marga", "code": "DPUPR"},
    )
    login(client, head)
    body = client.get(URL).content.decode()
    assert "Dinas PU" in body
    assert "Dinas Bina Marga" in body
    assert 'class="table-warning"' in body  # the changed field stands out


def test_aud1_list_filters_by_action_actor_target_and_date(client, head, appadmin, unit):
    other = WorkUnit.objects.create(code="DISDIK", name="Dinas Pendidikan")
    with time_machine.travel("2026-03-10 10:00 +0700", tick=False):
        record("sop.revise", actor=head, summary="revisi-maret")
    with time_machine.travel("2026-04-10 10:00 +0700", tick=False):
        record("core.unit_rename", actor=appadmin, target=unit, summary="ubah-pupr")
        record("core.unit_rename", actor=appadmin, target=other, summary="ubah-disdik")
    login(client, head)

    def shown(**params):
        body = client.get(URL, params).content.decode()
        return {s for s in ("revisi-maret", "ubah-pupr", "ubah-disdik") if s in body}

    assert shown(action="sop.") == {"revisi-maret"}
    assert shown(actor="ADMIN_APLIKASI") == {"ubah-pupr", "ubah-disdik"}
    assert shown(target="pendidikan") == {"ubah-disdik"}
    assert shown(target=f"accounts.workunit:{unit.pk}") == {"ubah-pupr"}
    assert shown(since="2026-03-10", until="2026-03-10") == {"revisi-maret"}
    assert shown(since="2026-04-01") == {"ubah-pupr", "ubah-disdik"}


def test_aud1_bad_date_filter_is_explained_next_to_the_field(client, head):
    login(client, head)
    response = client.get(URL, {"since": "2026-04-10", "until": "2026-04-01"})
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    response = client.get(URL, {"since": "kemarin"})
    assert "Tanggal tidak valid." in response.content.decode()


def test_aud1_list_is_paginated_by_fifty(client, head):
    for n in range(60):
        record("core.test", actor=head, summary=f"peristiwa-{n:02d}")
    login(client, head)
    first = client.get(URL).content.decode()
    assert "peristiwa-59" in first
    assert "peristiwa-09" not in first
    assert "Halaman 1 dari 2" in first
    second = client.get(URL, {"halaman": 2}).content.decode()
    assert "peristiwa-09" in second
    assert "peristiwa-59" not in second


def test_aud1_list_query_count_does_not_grow_with_events(
    client, head, unit, django_assert_max_num_queries
):
    login(client, head)
    client.get(URL)  # warm the content-type cache and the session
    with django_assert_max_num_queries(14) as empty:
        client.get(URL)
    for n in range(200):
        record("core.unit_rename", actor=head, target=unit, before={"n": n}, after={"n": n + 1})
    with django_assert_max_num_queries(len(empty.captured_queries)):
        assert client.get(URL).status_code == 200


def test_aud1_full_verification_from_the_page_is_recorded(client, head, unit):
    login(client, head)  # itself an auth.login event
    record("core.test", actor=head, target=unit)
    response = client.post(URL)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="audit.verify")
    assert event.actor == head
    assert event.after["ok"] is True
    assert event.after["count"] == 2
    body = client.get(URL).content.decode()
    assert "Pemeriksaan penuh terakhir" in body


def test_aud1_page_shows_a_broken_chain(client, head):
    login(client, head)  # event #1
    record("core.test", actor=head, summary="asli")  # event #2, the last one
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'palsu' WHERE seq = 2")
    body = client.get(URL).content.decode()
    assert "Rusak" in body
    assert "palsu" in body  # the page itself stays usable
    client.post(URL)
    report = AuditEvent.objects.get(action="audit.verify")
    assert report.after["ok"] is False
    assert report.after["broken_seq"] == 2


def test_aud1_nightly_task_verifies_the_chain_and_records_a_break(head):
    """AUD-1: the nightly task notices a tampered row without anyone opening the page."""
    from lpse.audit.tasks import verify_chain_nightly

    record("core.test", actor=head, summary="asli")
    record("core.test", actor=head, summary="kedua")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'palsu' WHERE seq = 1")
    verify_chain_nightly.call_local()
    report = AuditEvent.objects.get(action="audit.verify")
    assert report.actor is None and report.actor_repr == "sistem"
    assert report.after["ok"] is False
    assert report.after["broken_seq"] == 1
