"""Data-centre inspection checklist from Lampiran IV 4.1, 4.2.1 and Pasal 7 (INF-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login

from .. import inspection_services
from ..inspection_services import inspection_items, item_states
from .conftest import WIB, travel


def test_items_are_the_regulations_eight_plus_security_components():
    """INF-2: 4.1 has eight items, 4.2.1 three components, each with the source's wording
    and a weekly or monthly frequency; Pasal 7's service equipment is there too."""
    items = inspection_items()
    codes = [item.code for item in items]
    assert codes[:8] == [f"4.1.{n}" for n in range(1, 9)]
    assert codes[8:11] == ["4.2.1.1", "4.2.1.2", "4.2.1.3"]
    assert "P7" in codes
    by_code = {item.code: item for item in items}
    assert by_code["4.1.5"].title == "Sistem Pemadam Kebakaran"
    assert "22°C ± 2°C" in by_code["4.1.4"].points[0]
    assert "Water Detection System" in by_code["4.1.7"].points
    assert by_code["4.2.1.1"].points == (
        "Firewall",
        "Network Access Layer",
        "Security Monitoring & Analyzer",
    )
    assert {item.frequency for item in items} == {"weekly", "monthly"}


@pytest.mark.django_db
def test_inspection_records_findings_and_overdue_follows_the_frequency(client, sysadmin):
    """INF-2: never inspected = overdue; a weekly item is due again after 7 days, a monthly
    one after 30; a failed condition needs a follow-up; every inspection audited."""
    assert all(state.overdue for state in item_states())
    start = datetime(2026, 9, 7, 9, 0, tzinfo=WIB)
    with travel(start):
        with pytest.raises(inspection_services.InspectionError):
            inspection_services.record_inspection(
                code="4.1.4", condition_ok=False, findings="AC 2 mati", follow_up="", by=sysadmin
            )
        inspection_services.record_inspection(
            code="4.1.4", condition_ok=True, findings="Suhu 22,5 C", follow_up="", by=sysadmin
        )
        inspection_services.record_inspection(
            code="4.1.5", condition_ok=True, findings="Tabung terisi", follow_up="", by=sysadmin
        )
    with travel(start + timedelta(days=6)):
        states = {state.item.code: state for state in item_states()}
        assert not states["4.1.4"].overdue and not states["4.1.5"].overdue
        assert states["4.1.1"].overdue
    with travel(start + timedelta(days=8)):
        states = {state.item.code: state for state in item_states()}
        assert states["4.1.4"].overdue  # weekly
        assert not states["4.1.5"].overdue  # monthly
        login(client, sysadmin)
        page = client.get(reverse("facility:inspections")).content.decode()
        assert "Sistem Sensor Pengatur Suhu Ruang" in page
        response = client.post(
            reverse("facility:inspection_item", args=["4.1.4"]),
            {"condition_ok": "0", "findings": "AC 2 mati", "follow_up": "Panggil teknisi"},
        )
        assert response.status_code == 302
    assert AuditEvent.objects.filter(action="facility.inspection_recorded").count() == 3


@pytest.mark.django_db
def test_head_reads_inspections_but_does_not_record(client, head):
    """INF-2: the head sees the checklist; recording is the sysadmin's."""
    login(client, head)
    page = client.get(reverse("facility:inspection_item", args=["4.1.1"])).content.decode()
    assert "Pengamanan dengan pemantauan menggunakan CCTV" in page
    assert "Catat pemeriksaan" not in page
    response = client.post(
        reverse("facility:inspection_item", args=["4.1.1"]),
        {"condition_ok": "1", "findings": "x"},
    )
    assert response.status_code == 404
    assert client.get(reverse("facility:inspection_item", args=["9.9"])).status_code == 404
