"""SPSE-compatible public pages answer what SPSE 4 clients send (BID-5, SPSE-COMPAT.md)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lpse.tenders import spse

from .public_data import START, full_history, make_tender, people

ERROR_STRINGS = (
    "Maaf, terjadi error pada aplikasi SPSE.",
    "Terjadi Kesalahan",
    "Halaman yang dituju tidak ditemukan",
)


@pytest.fixture
def who(db):
    return people()


def token_for(client) -> str:
    response = client.get("/spse/lelang")
    assert response.status_code == 200
    cookie = response.cookies[spse.COOKIE].value
    found = re.findall(r"___AT=([A-Za-z0-9]+)&", cookie)
    assert found, cookie
    # The HTML fallback line, exactly as clients match it.
    fallback = re.findall(
        r"d\.authenticityToken[\s+]=[\s+]['\"]([0-9a-zA-Z]+)['\"];", response.content.decode()
    )
    assert fallback
    return found[0]


def datatable_form(token: str, **extra) -> dict:
    form = {
        "draw": "3",
        "start": "0",
        "length": "10",
        "search[value]": "",
        "search[regex]": "false",
        "order[0][column]": "0",
        "order[0][dir]": "desc",
        "authenticityToken": token,
        "_": "1736730000000",
    }
    form.update(extra)
    return form


def test_home_page_carries_the_markers_old_clients_check_BID_5(client, db):
    for path in ("/spse", "/spse/"):
        page = client.get(path).content.decode()
        assert spse.HOME_MARKER.lower() in page.lower()
        version = re.findall(r"SPSE v(\d+\.\d+u[0-9]+)", page)[0]
        major, minor, build = re.findall(r"(\d+).(\d+)u(\d{8})", version)[0]
        assert (int(major), int(minor), int(build)) >= (4, 5, 20221100)  # 0.1.x then POSTs


@time_machine.travel(START + timedelta(days=30), tick=False)
def test_list_endpoint_answers_datatables_rows_in_spse_layout_BID_5(client, who):
    full_history(who, "10000011")
    make_tender(
        who,
        "10000012",
        name="Pengadaan Alat Tulis Kantor",
        category="goods",
        method="direct_procurement",
        hps="150000000.00",
    )
    token = token_for(client)
    answer = client.post(
        "/spse/dt/lelang", datatable_form(token), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    ).json()
    assert answer["draw"] == 3
    assert answer["recordsTotal"] == answer["recordsFiltered"] == 1
    (row,) = answer["data"]
    assert row[:5] == [
        "10000011",
        "Rehabilitasi Jalan Raya Serang KM 12",
        "Pemerintah Kabupaten Tangerang",
        "Tender Sudah Selesai",
        "Rp 950.000.000,00",
    ]
    assert row[8] == "Pekerjaan Konstruksi - TA 2025"
    assert row[9] == "3"
    non_tender = client.post("/spse/dt/pl", datatable_form(token)).json()
    assert [r[0] for r in non_tender["data"]] == ["10000012"]
    for kind in ("nonspk", "swakelola", "darurat-list"):
        empty = client.post(f"/spse/dt/{kind}", datatable_form(token)).json()
        assert empty["recordsFiltered"] == 0 and empty["data"] == []


def test_list_endpoint_refuses_missing_forged_or_foreign_tokens_BID_5(client, who):
    make_tender(who, "10000021")
    token = token_for(client)
    forged = token[:-4] + "0000" if not token.endswith("0000") else token[:-4] + "1111"
    other = spse.new_token()
    for bad in ("", forged, other, "abc"):
        response = client.post("/spse/dt/lelang", datatable_form(bad))
        assert response.status_code == 403
        assert "Token tidak sah" in response.json()["error"]
    expired = spse.new_token(now=START.timestamp())
    assert not spse.token_is_valid(expired)
    # Old clients (before SPSE 4.5u2022) sent the same fields with GET.
    assert client.get("/spse/dt/lelang", datatable_form(token)).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start", "awal", "Parameter start harus bilangan bulat"),
        ("length", "5000", "Parameter length paling besar 1000"),
        ("kategoriId", "9", "Parameter kategoriId harus 0 sampai 5"),
        ("order[0][column]", "3", "Parameter order[0][column] harus 0, 1, 2 atau 4"),
        ("order[0][dir]", "up", "Parameter order[0][dir] harus asc atau desc"),
    ],
)
def test_list_endpoint_refuses_bad_parameters_by_name_BID_5(client, who, field, value, message):
    token = token_for(client)
    response = client.post("/spse/dt/lelang", datatable_form(token, **{field: value}))
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_list_endpoint_filters_orders_and_counts_with_constant_queries_BID_5(client, who):
    for number in range(4):
        make_tender(who, f"1000030{number}", hps=f"{100 + number}000000.00")
    make_tender(who, "10000310", name="Pengadaan Laptop", category="goods", year=2026)
    token = token_for(client)

    def rows(**extra):
        return client.post("/spse/dt/lelang", datatable_form(token, **extra)).json()

    assert [r[0] for r in rows(**{"search[value]": "laptop"})["data"]] == ["10000310"]
    assert [r[0] for r in rows(kategoriId="0")["data"]] == ["10000310"]
    assert [r[0] for r in rows(tahun="2026")["data"]] == ["10000310"]
    by_hps = rows(**{"order[0][column]": "4", "order[0][dir]": "asc"})["data"]
    assert [r[0] for r in by_hps][:2] == ["10000300", "10000301"]
    counted = rows(length="0")
    assert counted["recordsFiltered"] == 5 and counted["data"] == []
    assert [r[0] for r in rows(start="3", length="2")["data"]] == ["10000301", "10000300"]
    with CaptureQueriesContext(connection) as few:
        rows(length="2")
    with CaptureQueriesContext(connection) as many:
        rows(length="5")
    assert len(few) == len(many) <= 4


@time_machine.travel(START + timedelta(days=30), tick=False)
def test_detail_pages_answer_and_never_carry_error_strings_BID_5(client, who):
    tender = full_history(who, "10000011")
    paths = [
        f"/spse/lelang/{tender.code}/pengumumanlelang",
        f"/spse/lelang/{tender.code}/peserta",
        f"/spse/lelang/{tender.code}/jadwal",
        f"/spse/evaluasi/{tender.code}/hasil",
        f"/spse/evaluasi/{tender.code}/pemenang",
        f"/spse/evaluasi/{tender.code}/pemenangberkontrak",
        "/spse",
        "/spse/lelang",
        f"/tender/{tender.code}/",
        "/tender/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        for text in ERROR_STRINGS:
            assert text not in page, (path, text)
    schedule = client.get(f"/spse/lelang/{tender.code}/jadwal").content.decode()
    assert "<th>No</th><th>Tahap</th><th>Mulai</th><th>Sampai</th><th>Perubahan</th>" in schedule
    assert "1 kali perubahan" in schedule and "Tidak Ada" in schedule


def test_unknown_package_or_path_answers_spse_not_found_BID_5(client, who):
    tender = make_tender(who, "10000041", method="direct_procurement")
    draft = make_tender(who, "10000042", status="draft")
    for path in (
        "/spse/lelang/99999999/pengumumanlelang",
        f"/spse/lelang/{draft.code}/jadwal",
        f"/spse/lelang/{tender.code}/jadwal",  # a non-tender is not under /lelang
        "/spse/dt/entah",
        "/spse/halaman-lain",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Halaman yang dituju tidak ditemukan" in response.content.decode()
    assert client.get(f"/spse/nontender/{tender.code}/pengumumanpl").status_code == 200


@time_machine.travel(START + timedelta(days=30), tick=False)
def test_spse_pages_stay_indonesian_for_an_english_visitor_BID_5(client, who):
    """Clients parse SPSE's Indonesian words; a visitor's language must not change them."""
    tender = full_history(who, "10000051")
    client.cookies["django_language"] = "en"
    english = client.get(f"/tender/{tender.code}/").content.decode()
    assert "Schedule change history" in english  # our own page follows the visitor
    schedule = client.get(f"/spse/lelang/{tender.code}/jadwal").content.decode()
    assert "Upload Dokumen Penawaran" in schedule and "13 Januari 2025 08:00" in schedule
    token = token_for(client)
    (row,) = client.post("/spse/dt/lelang", datatable_form(token)).json()["data"]
    assert row[3] == "Tender Sudah Selesai"
    package = client.get(f"/tender/{tender.code}/ocds.json").json()
    assert package["releases"][0]["tender"]["milestones"][0]["title"] == "Pengumuman"
