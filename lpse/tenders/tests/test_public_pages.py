"""Public tender list and detail pages (BID-5), with the schedule history (ERR-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .public_data import (
    START,
    evaluate_and_announce,
    full_history,
    join_vendors,
    make_tender,
    people,
    work_unit,
)


@pytest.fixture
def who(db):
    return people()


@pytest.fixture
def catalogue(who):
    """Three public tenders of two work units and one draft nobody may see."""
    education = work_unit("1.01.01", "Dinas Pendidikan")
    return {
        "road": make_tender(who, "10000101"),
        "laptops": make_tender(
            who,
            "10000102",
            name="Pengadaan Laptop untuk SMP Negeri",
            unit=education,
            category="goods",
            hps="480000000.00",
            start=START + timedelta(days=20),
        ),
        "consultant": make_tender(
            who,
            "10000103",
            name="Jasa Konsultansi Pengawasan Gedung Sekolah",
            unit=education,
            category="consultancy",
            method="selection",
            year=2026,
        ),
        "draft": make_tender(who, "10000104", name="Paket Rahasia Draf", status="draft"),
    }


def codes(response) -> list[str]:
    return [tender.code for tender in response.context["page"]]


@time_machine.travel(START + timedelta(days=6), tick=False)
def test_list_shows_public_tenders_newest_first_with_stage_and_hps_BID_5(client, catalogue):
    response = client.get(reverse("tenders:public_list"))
    assert response.status_code == 200
    assert codes(response) == ["10000103", "10000102", "10000101"]
    page = response.content.decode()
    assert "Paket Rahasia Draf" not in page
    assert "Rp 950.000.000,00" in page
    assert "Upload Dokumen Penawaran" in page  # the road tender's running stage on 19 Jan
    assert "Menunggu Pengumuman" in page  # the laptops are announced for 2 February


@time_machine.travel(START + timedelta(days=6), tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "laptop"}, ["10000102"]),
        ({"q": "10000101"}, ["10000101"]),
        ({"q": "pendidikan"}, ["10000103", "10000102"]),
        ({"q": "sekolah pengawasan"}, ["10000103"]),
        ({"category": "goods"}, ["10000102"]),
        ({"method": "selection"}, ["10000103"]),
        ({"year": "2026"}, ["10000103"]),
        ({"stage": "bid_upload"}, ["10000103", "10000101"]),
        ({"stage": "announcement"}, []),
        ({"stage": "selesai"}, []),
    ],
)
def test_list_searches_and_filters_BID_5(client, catalogue, query, expected):
    response = client.get(reverse("tenders:public_list"), query)
    assert codes(response) == expected


def test_list_filters_by_work_unit_BID_5(client, catalogue):
    unit = catalogue["laptops"].work_unit
    response = client.get(reverse("tenders:public_list"), {"work_unit": unit.pk})
    assert codes(response) == ["10000103", "10000102"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "dua ribu"}, "Tahun anggaran harus berupa angka"),
        ({"category": "kapal"}, "Pilihan kapal tidak ada"),
        ({"work_unit": "999999"}, "Satuan kerja itu tidak ada"),
    ],
)
def test_bad_filter_is_explained_and_filters_nothing_BID_5(client, catalogue, query, message):
    response = client.get(reverse("tenders:public_list"), query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(codes(response)) == 3


def test_list_paginates_with_constant_queries_BID_5(client, who, settings):
    settings.LPSE_PUBLIC_PAGE_SIZE = 5
    for number in range(3):
        make_tender(who, f"1000020{number}")
    url = reverse("tenders:public_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as few_searched:
        client.get(url, {"q": "jalan dinas"})
    for number in range(3, 12):
        tender = make_tender(who, f"100002{number:02d}")
        if number == 3:
            join_vendors(tender, 2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    with CaptureQueriesContext(connection) as many_searched:
        first = client.get(url, {"q": "jalan dinas"})
    # work units of the form, count, page, stages, and the maintenance banner (MON-5)
    assert len(many) == len(few) <= 5
    assert len(many_searched) == len(few_searched) == len(few) + 1  # + matching work units
    assert len(codes(first)) == 5
    last = client.get(url, {"q": "jalan", "halaman": "3"})
    assert codes(last) == ["10000201", "10000200"]
    assert "q=jalan&amp;halaman=2" in last.content.decode()


@time_machine.travel(START + timedelta(days=30), tick=False)
def test_detail_shows_schedule_history_announcements_and_winner_BID_5_ERR_3(client, who):
    tender = full_history(who)
    response = client.get(reverse("tenders:public_detail", args=[tender.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tender Sudah Selesai" in page
    # Schedule in WIB: bid upload moved from 18-25 January to 20-27 January 08:00.
    assert "20 Januari 2025 08:00" in page and "27 Januari 2025 08:00" in page
    history = response.context["changes"]
    assert len(history) == 1
    moved = {row.label: row for row in history[0]["moved"]}
    assert set(moved) >= {"Upload Dokumen Penawaran", "Pembukaan Dokumen Penawaran"}
    assert "Adendum dokumen pemilihan" in page
    assert "Ahmad Fauzi" in page and "Siti Rahma" in page  # who approved, who asked
    assert "18 Januari 2025 08:00" in page  # the "before" of the bid upload
    assert "Pengumuman pemenang" in page and "Perubahan jadwal" in page
    assert response.context["participant_count"] == 3
    assert "PT Karya Bangun Nusantara" in page
    assert "Rp 901.500.000,00" in page
    assert reverse("tenders:public_ocds", args=[tender.code]) in page


@time_machine.travel(START + timedelta(days=14), tick=False)
def test_detail_hides_winner_and_bids_until_announced_BID_5(client, who):
    tender = make_tender(who, "10000301")
    participants = join_vendors(tender)
    for participant in participants:
        participant.bid_price = "900000000.00"
        participant.save()
    response = client.get(reverse("tenders:public_detail", args=[tender.code]))
    page = response.content.decode()
    assert response.context["winners"] == []
    assert "Rp 900.000.000,00" not in page
    assert "3 peserta" in page
    assert "Jadwal belum pernah diubah." in page
    evaluate_and_announce(tender, who, participants, START + timedelta(days=14))
    page = client.get(reverse("tenders:public_detail", args=[tender.code])).content.decode()
    assert "PT Karya Bangun Nusantara" in page and "Rp 901.500.000,00" in page


def test_detail_of_a_draft_or_unknown_code_is_not_found_BID_5(client, who):
    draft = make_tender(who, "10000401", status="draft")
    assert client.get(reverse("tenders:public_detail", args=[draft.code])).status_code == 404
    assert client.get("/tender/99999999/").status_code == 404


def test_detail_has_constant_queries_BID_5(client, who):
    small = make_tender(who, "10000501")
    big = full_history(who, "10000502")
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("tenders:public_detail", args=[small.code]))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("tenders:public_detail", args=[big.code]))
    assert len(first) == len(second)


def test_a_draft_cancelled_before_announcement_never_becomes_public_BID_5(client, who):
    draft = make_tender(who, "10000601", name="Paket Batal Sebelum Diumumkan", status="draft")
    draft.status = "cancelled"
    draft.cancelled_at = draft.closed_at = START
    draft.save()
    assert client.get(reverse("tenders:public_detail", args=[draft.code])).status_code == 404
    assert (
        "Paket Batal Sebelum Diumumkan"
        not in client.get(reverse("tenders:public_list")).content.decode()
    )
    assert client.get(reverse("tenders:public_ocds", args=[draft.code])).status_code == 404
