"""OCDS 1.1 releases and release packages validate against the official 1.1.5 schema (BID-5)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft4Validator

from . import ocds_schema
from .public_data import START, full_history, make_tender, people


@pytest.fixture
def who(db):
    return people()


def package_of(response) -> dict:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def assert_valid(package: dict) -> None:
    problems = ocds_schema.errors(package)
    assert problems == [], "\n".join(problems)


def test_schema_harness_checks_formats_and_closed_codelists_BID_5():
    """The harness itself: date-time/uri formats are checked, closed codelists are enums."""
    checker = Draft4Validator.FORMAT_CHECKER
    assert {"date-time", "uri"} <= set(checker.checkers)
    closed = ocds_schema.closed_codelists()
    assert {name for _path, name, _enum in closed} >= {
        "tenderStatus.csv",
        "method.csv",
        "procurementCategory.csv",
        "awardStatus.csv",
        "milestoneStatus.csv",
        "releaseTag.csv",
        "currency.csv",
    }
    for path, name, enum in closed:
        assert enum is not None, f"{path}: closed codelist {name} without enum"
        assert {code for code in enum if code is not None} == ocds_schema.codelist(name), path
    # And the validator really refuses bad input.
    bad = {
        "uri": "not a uri with spaces",
        "version": "1.1",
        "publishedDate": "yesterday",
        "publisher": {"name": "x"},
        "releases": [
            {
                "ocid": "x-1",
                "id": "1",
                "date": "2025-13-45T99:00:00Z",
                "tag": ["tender"],
                "initiationType": "tender",
                "tender": {"id": "1", "status": "ongoing", "procurementMethod": "magic"},
            }
        ],
    }
    problems = "\n".join(ocds_schema.errors(bad))
    for needle in ("publishedDate", "date", "'ongoing' is not one of", "'magic' is not one of"):
        assert needle in problems


def test_tender_release_package_validates_with_history_award_and_parties_BID_5(client, who):
    tender = full_history(who)
    response = client.get(reverse("tenders:public_ocds", args=[tender.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="ocds-10000011.json"' in response["Content-Disposition"]
    package = package_of(response)
    assert_valid(package)

    tags = [release["tag"] for release in package["releases"]]
    assert tags == [["tender"], ["tenderAmendment"], ["award"], ["tenderUpdate"]]
    first, amendment, award, final = package["releases"]
    assert {r["ocid"] for r in package["releases"]} == {"127.0.0.1-10000011"}
    assert first["date"] == "2025-01-13T01:00:00Z"
    # The schedule as first announced, then as changed, with the reason as rationale.
    assert first["tender"]["tenderPeriod"] == {
        "startDate": "2025-01-18T01:00:00Z",
        "endDate": "2025-01-25T01:00:00Z",
    }
    assert amendment["tender"]["tenderPeriod"]["endDate"] == "2025-01-27T01:00:00Z"
    assert amendment["tender"]["amendments"][0]["rationale"].startswith("Adendum dokumen")
    assert first["tender"]["enquiryPeriod"]["startDate"] == "2025-01-16T01:00:00Z"
    assert len(first["tender"]["milestones"]) == 9
    assert first["tender"]["value"] == {"amount": 950000000, "currency": "IDR"}
    assert first["tender"]["mainProcurementCategory"] == "works"
    assert first["tender"]["procurementMethod"] == "open"
    assert "awards" not in first and "tenderers" not in first["tender"]

    roles = {party["name"]: party["roles"] for party in award["parties"]}
    assert roles["Dinas Pekerjaan Umum dan Penataan Ruang"] == ["buyer"]
    assert roles["LPSE Kabupaten Tangerang"] == ["procuringEntity"]
    assert roles["PT Karya Bangun Nusantara"] == ["tenderer", "supplier"]
    assert roles["CV Sinar Jaya Abadi"] == ["tenderer"]
    assert award["tender"]["numberOfTenderers"] == 3
    (awarded,) = award["awards"]
    assert awarded["status"] == "active"
    assert awarded["value"] == {"amount": 901500000, "currency": "IDR"}
    assert awarded["suppliers"][0]["name"] == "PT Karya Bangun Nusantara"
    assert final["tender"]["status"] == "complete"
    assert award["planning"]["budget"]["amount"] == {"amount": 1000000000, "currency": "IDR"}


def test_configured_ocid_prefix_is_used_and_a_bad_one_is_refused_BID_5(client, who, settings):
    settings.LPSE_OCDS_OCID_PREFIX = "ocds-a1b2c3"
    tender = make_tender(who, "10000012")
    package = package_of(client.get(reverse("tenders:public_ocds", args=[tender.code])))
    assert_valid(package)
    assert package["releases"][0]["ocid"] == "ocds-a1b2c3-10000012"


def test_cancelled_tender_has_a_cancellation_release_BID_5(client, who):
    tender = make_tender(who, "10000013")
    tender.status = "cancelled"
    tender.cancelled_at = tender.closed_at = START + timedelta(days=3)
    tender.cancel_reason = "Anggaran dialihkan untuk tanggap bencana."
    tender.save()
    package = package_of(client.get(reverse("tenders:public_ocds", args=[tender.code])))
    assert_valid(package)
    assert package["releases"][-1]["tag"] == ["tenderCancellation"]
    assert package["releases"][-1]["tender"]["status"] == "cancelled"


def test_draft_tender_has_no_open_data_BID_5(client, who):
    tender = make_tender(who, "10000014", status="draft")
    assert client.get(reverse("tenders:public_ocds", args=[tender.code])).status_code == 404


def test_period_package_streams_only_releases_of_the_period_BID_5(client, who):
    full_history(who, "10000021")
    make_tender(
        who,
        "10000022",
        name="Pengadaan Laptop Dinas Pendidikan",
        category="goods",
        start=START + timedelta(days=40),
    )
    url = reverse("tenders:public_ocds_package")
    response = client.get(url, {"dari": "2025-01-13", "sampai": "2025-01-31"})
    assert response.status_code == 200
    assert response.streaming
    package = package_of(response)
    assert_valid(package)
    assert package["uri"].endswith("/tender/ocds/paket.json?dari=2025-01-13&sampai=2025-01-31")
    ids = [release["id"] for release in package["releases"]]
    # Announcement (13 Jan), change (17 Jan), award (1 Feb is outside), close (11 Feb outside).
    assert [i.rsplit("-", 1)[-1] for i in ids][:1] == ["tender"]
    assert all(release["ocid"].endswith("10000021") for release in package["releases"])
    assert len(ids) == 2

    whole = package_of(client.get(url, {"dari": "2025-01-01", "sampai": "2025-12-31"}))
    assert_valid(whole)
    assert {r["ocid"][-8:] for r in whole["releases"]} == {"10000021", "10000022"}
    assert len(whole["releases"]) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Tanggal awal (dari) wajib diisi"),
        ({"dari": "13-01-2025", "sampai": "2025-01-31"}, "harus berformat TTTT-BB-HH"),
        ({"dari": "2025-02-01", "sampai": "2025-01-31"}, "tidak boleh sebelum tanggal awal"),
        ({"dari": "2020-01-01", "sampai": "2025-01-31"}, "Periode paling panjang 366 hari"),
    ],
)
def test_period_package_refuses_bad_dates_with_a_clear_message_BID_5(client, db, query, message):
    response = client.get(reverse("tenders:public_ocds_package"), query)
    assert response.status_code == 400
    assert any(message in line for line in response.json()["error"])


def test_empty_period_is_not_an_invalid_empty_package_BID_5(client, db):
    response = client.get(
        reverse("tenders:public_ocds_package"), {"dari": "2024-01-01", "sampai": "2024-01-31"}
    )
    assert response.status_code == 404
    assert "Tidak ada rilis OCDS" in response.json()["error"][0]


def test_period_package_reads_in_constant_queries_BID_5(client, who):
    url = reverse("tenders:public_ocds_package")
    query = {"dari": "2025-01-01", "sampai": "2025-12-31"}
    full_history(who, "10000031")
    with CaptureQueriesContext(connection) as one:
        assert_valid(package_of(client.get(url, query)))
    full_history(who, "10000032")
    for number in range(3, 7):
        make_tender(who, f"1000003{number}")
    with CaptureQueriesContext(connection) as six:
        package = package_of(client.get(url, query))
    assert_valid(package)
    assert len({r["ocid"] for r in package["releases"]}) == 6
    assert len(six) == len(one)
