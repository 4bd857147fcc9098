"""The real pyproc client (PyPI, 0.3.x) reads our tenders from a running server (BID-5).

pyproc is pinned in the test extra; nothing of it is copied here. It is pointed at
``<live server>/spse`` the way its users point it at another host, and everything it
reads (code, name, agency, stage, HPS, schedule with its Perubahan column, participants,
evaluation, winner) is compared with our own data.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pyproc
import pytest
import time_machine
from django.conf import settings

from lpse.tenders.formatting import wib
from lpse.tenders.models import Tender

from .public_data import START, full_history, make_tender, people


@pytest.fixture
def lpse_client(live_server):
    client = pyproc.Lpse("lpse", timeout=20)
    client.url = f"{live_server.url}/spse"
    yield client
    client.session.close()


@pytest.mark.slow
@time_machine.travel(START + timedelta(days=30), tick=True)
def test_pyproc_reads_list_and_every_detail_page_as_we_have_them_BID_5(
    transactional_db, lpse_client
):
    assert pyproc.__version__.startswith("0.3.")
    who = people()
    closed = full_history(who, "10000011")
    running = make_tender(
        who,
        "10000012",
        name="Pengadaan Laptop untuk SMP Negeri",
        category="goods",
        hps=Decimal("480000000.00"),
        start=START + timedelta(days=25),
    )

    listing = lpse_client.get_paket_tender(start=0, length=10)
    assert listing["recordsFiltered"] == 2
    rows = {row[0]: row for row in listing["data"]}
    assert set(rows) == {"10000011", "10000012"}
    assert rows["10000011"][:4] == [
        "10000011",
        closed.name,
        settings.LPSE_PARENT,
        "Tender Sudah Selesai",
    ]
    assert rows["10000012"][3] == "Upload Dokumen Penawaran"
    assert rows["10000012"][4] == "Rp 480.000.000,00"
    assert lpse_client.get_paket_tender(start=0, length=0)["recordsFiltered"] == 2
    found = lpse_client.get_paket_tender(
        start=0, length=10, search_keyword="laptop", data_only=True
    )
    assert [row[0] for row in found] == ["10000012"]

    for tender in (closed, running):
        detail = lpse_client.detil_paket_tender(tender.code)
        info = detail.get_all_detil()
        assert info["error"] is False, info["error_message"]
        tender = Tender.objects.prefetch_related("stages", "participants").get(pk=tender.pk)

        notice = detail.pengumuman
        assert notice["kode_tender"] == tender.code
        assert notice["nama_tender"] == tender.name
        assert notice["k/l/pd"] == settings.LPSE_PARENT
        assert notice["satuan_kerja"] == tender.work_unit.name
        assert notice["tahap_tender_saat_ini"] == tender.stage_label()
        assert notice["nilai_hps_paket"] == float(tender.hps)
        assert notice["nilai_pagu_paket"] == float(tender.ceiling)
        assert notice["peserta_tender"] == tender.participants.count()
        assert notice["lokasi_pekerjaan"] == tender.location.splitlines()

        schedule = detail.jadwal
        assert [row["tahap"] for row in schedule] == [
            s.get_kind_display() for s in tender.stage_list()
        ]
        assert [(row["mulai"], row["sampai"]) for row in schedule] == [
            (wib(s.starts_at), wib(s.ends_at)) for s in tender.stage_list()
        ]
        assert set(schedule[0]) == {"no", "tahap", "mulai", "sampai", "perubahan"}

        assert [p["nama_peserta"] for p in detail.peserta] == [
            p.vendor.name for p in tender.participants.all()
        ]

    # The closed tender: one approved change moved the stages from the bid upload on.
    closed_detail = lpse_client.detil_paket_tender(closed.code)
    changes = {row["tahap"]: row["perubahan"] for row in closed_detail.get_jadwal()}
    assert changes["Pengumuman"] == "Tidak Ada"
    assert changes["Upload Dokumen Penawaran"] == "1 kali perubahan"
    assert changes["Penandatanganan Kontrak"] == "1 kali perubahan"
    evaluation = closed_detail.get_hasil_evaluasi()
    assert [row["nama_peserta"] for row in evaluation] == [
        "PT Karya Bangun Nusantara",
        "CV Sinar Jaya Abadi",
        "PT Tangerang Konstruksi Utama",
    ]
    assert evaluation[0]["evaluasi_kualifikasi"] == 1
    assert evaluation[2]["evaluasi_teknis"] == 0
    assert evaluation[0]["evaluasi_harga_biaya"] == 1
    # Not evaluated on price (fa-minus): pyproc itself folds "not true" into False here.
    assert evaluation[2]["evaluasi_harga_biaya"] is False
    assert evaluation[0]["penawaran"] == 901500000.0
    assert evaluation[2]["penawaran_terkoreksi"] == 940250000.5
    assert [row["pemenang"] for row in evaluation] == [True, False, False]
    (winner,) = closed_detail.get_pemenang()
    assert winner["nama_pemenang"] == "PT Karya Bangun Nusantara"
    assert winner["harga_penawaran"] == 901500000.0
    assert closed_detail.get_pemenang_berkontrak() is None

    # The running tender has no winner yet: pyproc reads "none", not an error.
    running_detail = lpse_client.detil_paket_tender(running.code)
    assert running_detail.get_pemenang() is None
    assert running_detail.get_hasil_evaluasi() == []


@pytest.mark.slow
@time_machine.travel(START + timedelta(days=6), tick=True)
def test_pyproc_reads_non_tender_packages_BID_5(transactional_db, lpse_client):
    who = people()
    package = make_tender(
        who,
        "10000021",
        name="Pengadaan Langsung Alat Tulis Kantor",
        method="direct_procurement",
        category="goods",
        hps=Decimal("150000000.00"),
    )
    listing = lpse_client.get_paket_non_tender(start=0, length=10, data_only=True)
    assert [row[:5] for row in listing] == [
        [
            package.code,
            package.name,
            settings.LPSE_PARENT,
            "Upload Dokumen Penawaran",
            "Rp 150.000.000,00",
        ]
    ]
    assert listing[0][6] == "Pengadaan Barang - TA 2025"  # pyproc's year column for `pl`
    assert lpse_client.get_paket_tender(start=0, length=10)["recordsFiltered"] == 0
    detail = lpse_client.detil_paket_non_tender(package.code)
    info = detail.get_all_detil()
    assert info["error"] is False, info["error_message"]
    assert detail.pengumuman["kode_paket"] == package.code
    assert detail.pengumuman["nilai_hps_paket"] == 150000000.0
    assert len(detail.jadwal) == 9
    assert detail.pemenang is None
