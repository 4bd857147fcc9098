"""TRN-2: training rooms and servers are configurable; pages refuse those without the role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.training import scheduling
from lpse.training.models import TrainingResource

from .conftest import confirmed, file

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")


def test_head_adds_and_deactivates_a_room_audited_TRN_2(head, client, room, trainer):
    login(client, head)
    response = client.post(
        reverse("training:resources"), {"kind": "room", "name": "Lab Komputer Lt. 3", "note": ""}
    )
    assert response.status_code == 302
    lab = TrainingResource.objects.get(name="Lab Komputer Lt. 3")
    duplicate = client.post(
        reverse("training:resources"), {"kind": "room", "name": "lab komputer lt. 3"}
    )
    assert duplicate.status_code == 400 and "sudah ada" in duplicate.content.decode()
    client.post(reverse("training:resource_toggle", args=[room.pk]))
    room.refresh_from_db()
    assert not room.is_active
    from datetime import date

    slot = scheduling.propose_slots("vendor", start=date(2026, 12, 9), count=1)[0]
    assert slot.room == lab
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"training.resource_add", "training.resource_active"} <= actions


def test_without_any_trainer_no_slot_is_proposed_TRN_2(agency_admin, helpdesk, client):
    training = confirmed(file(agency_admin), helpdesk)
    login(client, helpdesk)
    page = client.get(reverse("training:detail", args=[training.pk])).content.decode()
    assert "Tidak ada jadwal kosong dalam 90 hari" in page


@pytest.mark.parametrize(
    "name", ["training:resources", "training:exceptions", "training:list", "training:calendar"]
)
def test_pages_refuse_vendor_committee_and_outsider(client, vendor, committee, outsider, name):
    for user in (vendor, committee, outsider):
        login(client, user)
        assert client.get(reverse(name)).status_code == 403


def test_helpdesk_cancels_with_a_reason_TRN_2(agency_admin, helpdesk, client):
    training = file(agency_admin)
    login(client, helpdesk)
    url = reverse("training:cancel", args=[training.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "SKPD menarik permohonan"}).status_code == 302
    training.refresh_from_db()
    assert training.status == "cancelled" and training.sop_case.status == "closed"
    assert client.post(url, {"reason": "lagi"}).status_code == 400


def test_exceptions_page_lists_days_for_helpdesk_read_only(client, helpdesk, head):
    from datetime import date

    from lpse.training import services

    services.set_day_exception(
        day=date(2026, 12, 16), audience="agency", reason="Pelatihan Pokja baru", by=head
    )
    login(client, helpdesk)
    page = client.get(reverse("training:exceptions")).content.decode()
    assert "Pelatihan Pokja baru" in page and "Tetapkan" not in page
