"""A tender run through the real services shows up in public, in OCDS and for SPSE clients
exactly as it happened: announcement, an approved schedule change, bids, winner, closing
(BID-5 with BID-1, BID-6, ERR-3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.sop.services import load_procedures
from lpse.tenders import changes, participation, services
from lpse.tenders import schedule as rules
from lpse.tenders.choices import StageKind
from lpse.tenders.models import Tender
from lpse.vendors.tests.company_helpers import PDF, make_vendor

from . import ocds_schema
from .public_data import work_unit

# Monday 3 February 2025, 08:00 WIB; one stage after another (a regular tender).
D0 = datetime(2025, 2, 3, 1, 0, tzinfo=UTC)
DAYS = [
    (StageKind.ANNOUNCEMENT, 0, 1),
    (StageKind.DOWNLOAD, 1, 1),
    (StageKind.CLARIFICATION, 2, 1),
    (StageKind.BID_UPLOAD, 3, 5),
    (StageKind.BID_OPENING, 8, 1),
    (StageKind.EVALUATION, 9, 2),
    (StageKind.WINNER_ANNOUNCEMENT, 11, 1),
    (StageKind.OBJECTION, 12, 3),
    (StageKind.CONTRACT, 15, 2),
]


def rows(shift_from_upload: int = 0) -> list[rules.Row]:
    out = []
    for index, (kind, offset, days) in enumerate(DAYS):
        extra = timedelta(days=shift_from_upload if index >= 3 else 0)
        start = D0 + timedelta(days=offset) + extra
        out.append(rules.Row(str(kind), start, start + timedelta(days=days)))
    return out


@pytest.fixture
def run(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_procedures()
    unit = work_unit()
    committee = make_user("pokja_siklus", Role.COMMITTEE, first_name="Siti", last_name="Rahma")
    ppk = make_user("ppk_siklus", Role.PPK)
    head = make_user("kepala_siklus", Role.HEAD, first_name="Ahmad", last_name="Fauzi")
    vendors = []
    for index, name in enumerate(["PT Karya Bangun Nusantara", "CV Sinar Jaya Abadi"]):
        user = make_user(f"penyedia_siklus{index}", Role.VENDOR, email=f"s{index}@contoh.co.id")
        vendors.append(
            make_vendor(
                user,
                name=name,
                tax_id=f"01234567890123{index}",
                registration_number=f"REG-SIKLUS-{index}",
                activated_at=D0 - timedelta(days=30),
            )
        )
    with time_machine.travel(D0 - timedelta(days=3), tick=False):
        tender = services.create_tender(
            {
                "name": "Rehabilitasi Drainase Jalan Raya Cikupa",
                "work_unit": unit,
                "budget_year": 2025,
                "ceiling": Decimal("800000000.00"),
                "hps": Decimal("750000000.00"),
                "method": "tender",
                "category": "construction",
                "qualification": "post",
                "qualification_requirements": "SBU Sumber Daya Air",
                "location": "Kecamatan Cikupa",
                "description": "Saluran drainase 1,2 km.",
                "ppk": ppk,
            },
            by=committee,
            accept_pact=True,
        )
        services.accept_pact(tender, by=ppk)
        services.save_schedule(tender, rows(), by=committee)
        services.upload_document(
            tender,
            SimpleUploadedFile("dokumen.pdf", PDF, content_type="application/pdf"),
            title="Dokumen Pemilihan",
            kind="tender_document",
            by=committee,
        )
    services.announce_tender(tender, by=committee, at=D0)
    for vendor in vendors:
        participation.join_tender(
            tender, vendor, accept_pact=True, by=vendor.user, at=D0 + timedelta(days=1)
        )
    change = changes.request_change(
        tender,
        rows(shift_from_upload=2),
        "Adendum spesifikasi saluran: waktu penawaran ditambah dua hari.",
        by=committee,
        at=D0 + timedelta(days=2, hours=1),
    )
    approved = changes.approve_change(
        change, by=head, at=D0 + timedelta(days=2, hours=1, minutes=20)
    )
    assert approved.status == "approved"
    tender = Tender.objects.get(pk=tender.pk)
    evaluation_day = D0 + timedelta(days=11, hours=1)
    for participant, price, passed in zip(
        tender.participants.order_by("pk"),
        (Decimal("701000000.00"), Decimal("722500000.00")),
        (True, False),
        strict=True,
    ):
        participation.record_evaluation(
            participant,
            bid_price=price,
            corrected_price=price,
            qualification_passed=True,
            technical_passed=passed,
            price_passed=passed or None,
            outcome="passed" if passed else "failed",
            reasons="" if passed else "Metode pelaksanaan tidak memenuhi syarat.",
            rank=1 if passed else None,
            by=committee,
            at=evaluation_day,
        )
    winner = tender.participants.order_by("pk").first()
    participation.announce_winner(winner, by=committee, at=D0 + timedelta(days=13, hours=2))
    services.close_tender(tender, by=committee, at=D0 + timedelta(days=19, hours=2))
    return Tender.objects.get(pk=tender.pk)


@time_machine.travel(D0 + timedelta(days=20), tick=False)
def test_service_run_tender_reads_the_same_in_public_ocds_and_spse_BID_5_ERR_3(client, run):
    tender = run
    page = client.get(reverse("tenders:public_detail", args=[tender.code])).content.decode()
    assert "Tender Sudah Selesai" in page
    assert "Adendum spesifikasi saluran" in page
    assert "Ahmad Fauzi" in page and "Siti Rahma" in page
    assert "6 Februari 2025 08:00" in page  # bid upload start before the change
    assert "8 Februari 2025 08:00" in page  # and after it
    assert "PT Karya Bangun Nusantara" in page and "Rp 701.000.000,00" in page

    response = client.get(reverse("tenders:public_ocds", args=[tender.code]))
    package = json.loads(response.content)
    assert ocds_schema.errors(package) == []
    releases = package["releases"]
    assert [r["tag"][0] for r in releases] == ["tender", "tenderAmendment", "award", "tenderUpdate"]
    assert releases[0]["tender"]["tenderPeriod"]["startDate"] == "2025-02-06T01:00:00Z"
    assert releases[1]["tender"]["tenderPeriod"]["startDate"] == "2025-02-08T01:00:00Z"
    assert releases[2]["awards"][0]["suppliers"][0]["name"] == "PT Karya Bangun Nusantara"
    assert releases[3]["tender"]["status"] == "complete"

    schedule = client.get(f"/spse/lelang/{tender.code}/jadwal").content.decode()
    assert schedule.count("1 kali perubahan") == 6  # bid upload and every stage after it
    assert schedule.count("Tidak Ada") == 3
