"""BID-1: the schedule rules checked on save, WIB entry stored in UTC, the stage from the clock."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.urls import reverse

from lpse.conftest import login

from .. import schedule as rules
from .. import services
from ..choices import Method, StageKind, TenderStatus
from ..models import Stage
from .helpers import LAYOUT, T0, during, rows_at, tender_data, travel

pytestmark = pytest.mark.django_db


def _with(rows, kind, **times):
    return [
        rules.Row(r.kind, times.get("starts_at", r.starts_at), times.get("ends_at", r.ends_at))
        if r.kind == kind
        else r
        for r in rows
    ]


def test_standard_schedule_is_valid_BID_1():
    assert rules.validate_schedule(rows_at(), method=Method.TENDER) == []


def test_missing_stage_is_named_BID_1():
    rows = [r for r in rows_at() if r.kind != StageKind.OBJECTION]
    problems = rules.validate_schedule(rows, method=Method.TENDER)
    assert [p.message for p in problems] == ["Tahap Masa Sanggah wajib diisi."]


def test_stage_that_ends_before_it_starts_is_refused_BID_1():
    rows = _with(rows_at(), StageKind.DOWNLOAD, ends_at=T0 + timedelta(hours=20))
    messages = [p.message for p in rules.validate_schedule(rows, method=Method.TENDER)]
    assert "Tahap Download Dokumen Pemilihan: waktu selesai harus setelah waktu mulai." in messages


def test_stages_out_of_order_are_refused_BID_1():
    rows = _with(
        rows_at(),
        StageKind.CLARIFICATION,
        starts_at=T0 + timedelta(hours=12),
        ends_at=T0 + timedelta(hours=14),
    )
    messages = " ".join(p.message for p in rules.validate_schedule(rows, method=Method.TENDER))
    assert "Urutan tahap salah: Pemberian Penjelasan (mulai 07-09-2026 20:00 WIB)" in messages
    assert "sebelum Download Dokumen Pemilihan (mulai 08-09-2026 08:00 WIB)" in messages


def test_overlap_refused_for_tender_but_allowed_for_quick_tender_BID_1():
    rows = _with(rows_at(), StageKind.DOWNLOAD, ends_at=T0 + timedelta(days=2, hours=3))
    problems = rules.validate_schedule(rows, method=Method.TENDER)
    assert len(problems) == 1
    assert "bertumpuk dengan Download Dokumen Pemilihan" in problems[0].message
    assert "metode Tender tidak membolehkan tahap bertumpuk" in problems[0].message
    assert rules.validate_schedule(rows, method=Method.QUICK_TENDER) == []


def test_upload_stage_shorter_than_minimum_working_days_is_refused_BID_1(settings):
    settings.LPSE_MIN_UPLOAD_WORKING_DAYS = 3
    start = T0 + timedelta(days=3)  # Thursday 10 September 08:00 WIB
    # Thursday -> Monday is 2 working days (weekend skipped): too short.
    rows = _with(rows_at(), StageKind.BID_UPLOAD, ends_at=start + timedelta(days=4))
    rows = _with(rows, StageKind.BID_OPENING, starts_at=start + timedelta(days=4))
    problems = rules.validate_schedule(rows, method=Method.TENDER)
    assert [p.message for p in problems] == [
        "Tahap Upload Dokumen Penawaran paling singkat 3 hari kerja: dengan mulai "
        "10-09-2026 08:00 WIB, paling cepat selesai 15-09-2026 08:00 WIB."
    ]
    settings.LPSE_MIN_UPLOAD_WORKING_DAYS = 2
    assert rules.validate_schedule(rows, method=Method.TENDER) == []


def test_schedule_entered_in_wib_is_stored_in_utc_and_shown_in_wib_BID_1(
    client, registry, pokja, ppk, work_unit
):
    with travel(T0 - timedelta(days=1)):
        tender = services.create_tender(tender_data(work_unit, ppk), by=pokja)
        login(client, pokja)
        data = {}
        for row in rows_at():
            local_start = row.starts_at.astimezone(rules.timezone.get_current_timezone())
            local_end = row.ends_at.astimezone(rules.timezone.get_current_timezone())
            data[f"{row.kind}_start"] = local_start.strftime("%Y-%m-%dT%H:%M")
            data[f"{row.kind}_end"] = local_end.strftime("%Y-%m-%dT%H:%M")
        response = client.post(reverse("tenders:schedule", args=[tender.code]), data)
        assert response.status_code == 302
        stage = Stage.objects.get(tender=tender, kind=StageKind.ANNOUNCEMENT)
        # 08:00 WIB is 01:00 UTC.
        assert stage.starts_at.astimezone(UTC).hour == 1
        assert data["announcement_start"] == "2026-09-07T08:00"
        page = client.get(reverse("tenders:manage", args=[tender.code])).content.decode()
        assert "07-09-2026 08:00" in page


def test_bad_schedule_form_shows_indonesian_message_and_saves_nothing_BID_1(
    client, registry, pokja, ppk, work_unit
):
    with travel(T0 - timedelta(days=1)):
        tender = services.create_tender(tender_data(work_unit, ppk), by=pokja)
        login(client, pokja)
        data = {}
        for row in rows_at():
            data[f"{row.kind}_start"] = rules.timezone.localtime(row.starts_at).strftime(
                "%Y-%m-%dT%H:%M"
            )
            data[f"{row.kind}_end"] = rules.timezone.localtime(row.ends_at).strftime(
                "%Y-%m-%dT%H:%M"
            )
        data["bid_upload_end"] = "2026-09-11T08:00"
        data["bid_opening_start"] = "2026-09-11T08:00"
        response = client.post(reverse("tenders:schedule", args=[tender.code]), data)
        assert response.status_code == 400
        assert "paling singkat 3 hari kerja" in response.content.decode()
        assert not Stage.objects.filter(tender=tender).exists()


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (T0 - timedelta(hours=1), "Menunggu Pengumuman"),
        (during(StageKind.ANNOUNCEMENT), "Pengumuman"),
        (during(StageKind.CLARIFICATION), "Pemberian Penjelasan"),
        (during(StageKind.BID_UPLOAD, offset_hours=48), "Upload Dokumen Penawaran"),
        (during(StageKind.OBJECTION), "Masa Sanggah"),
        (
            T0 + timedelta(days=LAYOUT[StageKind.CONTRACT][1], hours=1),
            "Jadwal selesai, menunggu penutupan",
        ),
    ],
)
def test_current_stage_is_derived_from_the_clock_BID_1(tender, moment, label):
    with travel(moment):
        assert tender.stage_label() == label
    assert tender.status == TenderStatus.ANNOUNCED


def test_draft_and_cancelled_labels_BID_1(registry, pokja, ppk, work_unit, media):
    from .helpers import make_tender

    draft = make_tender(pokja, ppk, work_unit, announce=False)
    assert draft.stage_label() == "Belum diumumkan"
    assert draft.current_stage() is None
    with travel(T0 - timedelta(minutes=30)):
        services.cancel_tender(draft, "Anggaran dialihkan", by=pokja)
    draft.refresh_from_db()
    assert draft.stage_label() == "Tender Batal"
    assert not draft.is_public  # never announced
