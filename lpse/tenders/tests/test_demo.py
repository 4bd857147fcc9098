"""`lpse demo` adds marked demo tenders in different stages through the real services
(BID-1, BID-6, ERR-3)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lpse.audit.chain import verify_chain

from ..choices import ScheduleChangeStatus, TenderStatus
from ..demo import DEMO_TENDERS
from ..models import Participant, ScheduleChange, Tender

pytestmark = pytest.mark.django_db


def test_demo_adds_marked_tenders_in_every_part_of_their_life_BID_1_ERR_3(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("demo", "--password", "kata-sandi-demo-bersama", stdout=out)
    tenders = list(Tender.objects.prefetch_related("stages").order_by("code"))
    assert len(tenders) == len(DEMO_TENDERS)
    assert all(t.is_demo and t.name.endswith("(DEMO)") for t in tenders)
    labels = [t.stage_label() for t in tenders]
    assert labels == [
        "Belum diumumkan",
        "Download Dokumen Pemilihan",
        "Upload Dokumen Penawaran",
        "Evaluasi Penawaran",
        "Masa Sanggah",
        "Tender Sudah Selesai",
        "Tender Batal",
    ]
    assert "Tender demo (DATA DEMO, berbagai tahap):" in out.getvalue()
    assert {t.status for t in tenders} == {
        TenderStatus.DRAFT,
        TenderStatus.ANNOUNCED,
        TenderStatus.CLOSED,
        TenderStatus.CANCELLED,
    }
    assert ScheduleChange.objects.filter(status=ScheduleChangeStatus.APPROVED).count() == 1
    assert ScheduleChange.objects.filter(status=ScheduleChangeStatus.PENDING).count() == 1
    assert Participant.objects.filter(is_winner=True).count() == 2
    assert all(p.vendor.is_demo for p in Participant.objects.select_related("vendor"))
    assert verify_chain().ok
    call_command("demo", "--password", "kata-sandi-demo-bersama", stdout=StringIO())
    assert Tender.objects.count() == len(DEMO_TENDERS)
