"""Public tenders, schedules and OCDS packages through the JSON API (GEN-3, BID-5)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from time_machine import travel

from lpse.tenders.tests import ocds_schema
from lpse.tenders.tests.public_data import (
    LATER_FROM_UPLOAD,
    START,
    approve_change,
    make_tender,
    people,
    work_unit,
)

LIST = "/api/v1/tenders"


@pytest.fixture
def who(db):
    return people()


@pytest.fixture
def tenders(who):
    announced = make_tender(who, "10000001", name="Rehabilitasi Jalan Raya Serang KM 12")
    approve_change(
        announced, who, LATER_FROM_UPLOAD, "Adendum dokumen pemilihan", START + timedelta(days=4)
    )
    other_unit = work_unit("1.02.01", "Dinas Kesehatan")
    goods = make_tender(
        who, "10000002", name="Pengadaan Alat Kesehatan Puskesmas", unit=other_unit,
        category="goods", method="quick_tender",
    )  # fmt: skip
    draft = make_tender(who, "10000003", name="Paket Belum Diumumkan", status="draft")
    return announced, goods, draft


def test_gen3_public_tender_list_without_token_with_filters_and_pages(client, tenders):
    with travel(START + timedelta(days=6), tick=False):
        body = client.get(LIST).json()
        assert body["count"] == 2  # the draft is not public
        assert [t["code"] for t in body["items"]] == ["10000002", "10000001"]
        row = body["items"][1]
        assert row["work_unit"]["name"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
        assert row["hps"] == "950000000.00"
        assert row["current_stage"] == "download"  # the upload moved two days later
        assert row["ocds_url"].endswith("/api/v1/tenders/10000001/ocds")

        assert client.get(LIST, {"category": "goods"}).json()["count"] == 1
        assert client.get(LIST, {"q": "kesehatan"}).json()["items"][0]["code"] == "10000002"
        assert client.get(LIST, {"year": 2024}).json()["count"] == 0
        page = client.get(LIST, {"page_size": 1, "page": 2}).json()
        assert page["count"] == 2 and [t["code"] for t in page["items"]] == ["10000001"]


def test_gen3_invalid_filters_are_422_with_errors(client, tenders):
    response = client.get(LIST, {"category": "kue", "year": "1999", "page": 0})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"]["en"] == "The data sent is not valid."
    assert {tuple(e["loc"])[-1] for e in body["errors"]} == {"category", "year", "page"}


def test_gen3_tender_list_query_count_does_not_grow_with_rows(
    client, who, django_assert_num_queries
):
    for index in range(3):
        make_tender(who, f"2000000{index}")
    # One count, one page (participants counted in a subquery), one prefetch of stages.
    with django_assert_num_queries(3):
        assert client.get(LIST).json()["count"] == 3
    for index in range(3, 12):
        make_tender(who, f"200000{index:02d}")
    with django_assert_num_queries(3):
        assert len(client.get(LIST, {"page_size": 100}).json()["items"]) == 12
    # A text search reads the matching work units once more.
    with django_assert_num_queries(4):
        client.get(LIST, {"q": "jalan"})


def test_gen3_tender_detail_and_schedule_show_stages_and_changes(client, tenders):
    with travel(START + timedelta(days=6), tick=False):
        detail = client.get(f"{LIST}/10000001").json()
        schedule = client.get(f"{LIST}/10000001/schedule").json()
    assert detail["name"] == "Rehabilitasi Jalan Raya Serang KM 12"
    assert [s["kind"] for s in detail["stages"]][:4] == [
        "announcement", "download", "clarification", "bid_upload",
    ]  # fmt: skip
    upload = detail["stages"][3]
    assert upload["changes"] == 1 and upload["state"] == "upcoming"
    assert detail["schedule_changes"][0]["reason"] == "Adendum dokumen pemilihan"
    assert detail["location"] == [
        "Kecamatan Cikupa - Kabupaten Tangerang",
        "Kecamatan Balaraja - Kabupaten Tangerang",
    ]
    assert schedule["stages"] == detail["stages"]
    moved = schedule["changes"][0]["moved"]
    assert moved[0]["label"] == "Upload Dokumen Penawaran"


@pytest.mark.parametrize("path", ["", "/schedule", "/ocds"])
def test_gen3_draft_or_unknown_tender_is_a_json_404(client, tenders, path):
    for code in ("10000003", "99999999"):
        response = client.get(f"{LIST}/{code}{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client.get(f"{LIST}/abc{path}").status_code == 422


def test_gen3_ocds_package_of_a_tender_is_valid_ocds(client, tenders):
    response = client.get(f"{LIST}/10000001/ocds")
    assert response.status_code == 200
    package = response.json()
    assert ocds_schema.errors(package) == []
    assert [r["tag"] for r in package["releases"]] == [["tender"], ["tenderAmendment"]]
    assert package["uri"].endswith("/api/v1/tenders/10000001/ocds")


def test_gen3_ocds_period_package_streams_valid_ocds(client, tenders):
    response = client.get("/api/v1/ocds/releases", {"dari": "2025-01-01", "sampai": "2025-01-31"})
    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    assert ocds_schema.errors(package) == []
    assert {r["ocid"].rsplit("-", 1)[-1] for r in package["releases"]} == {"10000001", "10000002"}

    empty = client.get("/api/v1/ocds/releases", {"dari": "2020-01-01", "sampai": "2020-01-31"})
    assert empty.status_code == 404 and empty.json()["code"] == "no_releases"
    backwards = client.get("/api/v1/ocds/releases", {"dari": "2025-02-01", "sampai": "2025-01-01"})
    assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_period"
    assert backwards.json()["message"]["en"] == "The end date cannot be before the start date."
    assert client.get("/api/v1/ocds/releases", {"dari": "0001-01-01"}).status_code == 422
