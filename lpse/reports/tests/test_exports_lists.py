"""RPT-1: exports of the training, tender, schedule change, e-mail change and incident lists.

Each file holds the rows a user sees paging through the filtered list (same
selector), under the page's access rules (role and object scope). Runs on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.tenders.models import CommitteeMember, ScheduleChange
from lpse.tenders.tests import public_data
from lpse.training.models import TrainingRequest
from lpse.vendors.company import CompanyDocument, EmailChangeRequest
from lpse.vendors.tests.company_helpers import make_vendor

from .export_helpers import all_pages, column, read_csv, read_xlsx
from .test_exports import make_incidents

pytestmark = pytest.mark.django_db


def exported_lists() -> list[str]:
    return [
        event.after["list"]
        for event in AuditEvent.objects.filter(action="reports.export").order_by("seq")
    ]


# --- Trainings -----------------------------------------------------------------------------


def make_trainings():
    units = [
        WorkUnit.objects.create(code="DINKES", name="Dinas Kesehatan"),
        WorkUnit.objects.create(code="DISDIK", name="Dinas Pendidikan"),
    ]
    admins = [
        make_user(f"admin_{unit.code.lower()}", Role.AGENCY_ADMIN, work_unit=unit) for unit in units
    ]
    now = timezone.now()
    for n in range(60):
        TrainingRequest.objects.create(
            work_unit=units[n % 2],
            requested_by=admins[n % 2],
            requested_at=now - timedelta(hours=n),
            audience="agency",
            letter_number=f"800/{n + 1:03d}/UJI",
            letter_date=date(2026, 1, 5),
            letter_text="Mohon pelatihan SPSE untuk pejabat pengadaan.",
            wanted_date=date(2026, 2, 10),
            participant_count=10 + n,
            contact_name=f"Narahubung {n:03d}",
            contact_phone="0215550000",
            contact_email=f"narahubung{n}@contoh.go.id",
            status=("submitted", "confirmed", "cancelled")[n % 3],
        )
    return units, admins


def test_rpt1_training_export_equals_the_filtered_list_and_keeps_the_unit_scope(client, helpdesk):
    _units, admins = make_trainings()
    letters = [f"800/{n:03d}/UJI" for n in range(1, 61)]
    url = reverse("training:list")
    login(client, helpdesk)
    page = all_pages(client, url, {"status": "submitted"}, letters)
    assert len(page) == 20
    rows = read_csv(client.get(url, {"status": "submitted", "unduh": "csv"}))
    assert column(rows, "Nomor surat permohonan") == page
    assert set(column(rows, "Status")) == {"Diajukan"}
    sheet = read_xlsx(client.get(url, {"status": "submitted", "unduh": "xlsx"}))
    assert column(sheet.rows, "Nomor surat permohonan") == page

    # An agency admin sees, and exports, only its own work unit's requests.
    login(client, admins[0])
    own = all_pages(client, url, {}, letters)
    assert len(own) == 30
    rows = read_csv(client.get(url, {"unduh": "csv"}))
    assert column(rows, "Nomor surat permohonan") == own
    assert set(column(rows, "Satuan kerja")) == {"Dinas Kesehatan"}
    assert exported_lists() == ["pelatihan"] * 3


def test_rpt1_training_export_refuses_bad_filters_and_outsiders(client, helpdesk, outsider):
    login(client, helpdesk)
    response = client.get(reverse("training:list"), {"dari": "kemarin", "unduh": "csv"})
    assert response.status_code == 400
    assert "Tanggal tidak valid" in response.content.decode()
    login(client, outsider)
    assert client.get(reverse("training:list"), {"unduh": "xlsx"}).status_code == 403
    assert exported_lists() == []


# --- Tenders: the public list --------------------------------------------------------------


def make_public_tenders():
    who = public_data.people()
    for n in range(30):
        public_data.make_tender(
            who,
            f"{10000000 + n}",
            name=f"Paket uji {n:03d}",
            category=("construction", "goods")[n % 2],
        )
    public_data.make_tender(who, "19999999", name="Paket draf", status="draft")
    return who


def test_rpt1_public_tender_export_equals_the_filtered_public_list(client):
    make_public_tenders()
    url = reverse("tenders:public_list")
    codes = [f"{10000000 + n}" for n in range(30)] + ["19999999"]
    page = all_pages(client, url, {"category": "goods"}, codes, page_param="halaman")
    assert len(page) == 15
    rows = read_csv(client.get(url, {"category": "goods", "unduh": "csv"}))
    assert rows[0][:3] == ["Kode", "Nama paket", "Tahun anggaran"]
    assert column(rows, "Kode") == page
    assert set(column(rows, "Jenis pengadaan")) == {"Pengadaan Barang"}
    sheet = read_xlsx(client.get(url, {"category": "goods", "unduh": "xlsx"}))
    assert column(sheet.rows, "Kode") == page
    assert float(column(sheet.rows, "HPS (Rp)")[0]) == 950_000_000  # a number cell
    everything = read_csv(client.get(url, {"unduh": "csv"}))
    assert "19999999" not in column(everything, "Kode")  # drafts are never public
    assert exported_lists() == []  # public data: nothing personal to audit


def test_rpt1_public_tender_export_with_a_bad_year_is_400_without_file(client):
    response = client.get(reverse("tenders:public_list"), {"year": "dua ribu", "unduh": "csv"})
    assert response.status_code == 400
    assert "Tahun anggaran harus berupa angka" in response.content.decode()


# --- Tenders: the Pokja's own list ---------------------------------------------------------


def test_rpt1_committee_export_holds_only_the_members_own_tenders(client, committee):
    who = make_public_tenders()
    other = make_user("pokja_lain", Role.COMMITTEE)
    from lpse.tenders.models import Tender

    for tender in Tender.objects.filter(code__lt="10000010"):
        CommitteeMember.objects.create(tender=tender, user=committee)
    CommitteeMember.objects.create(tender=Tender.objects.get(code="10000020"), user=other)
    CommitteeMember.objects.create(tender=Tender.objects.get(code="19999999"), user=committee)
    url = reverse("tenders:committee_list")
    login(client, committee)
    mine = [f"{10000000 + n}" for n in range(10)] + ["19999999"]
    page = all_pages(client, url, {}, [*mine, "10000020"], page_param="halaman")
    assert sorted(page) == sorted(mine)
    rows = read_csv(client.get(url, {"unduh": "csv"}))
    assert column(rows, "Kode") == page
    assert "10000020" not in column(rows, "Kode")  # another Pokja's tender
    drafts = read_xlsx(client.get(url, {"status": "draft", "unduh": "xlsx"}))
    assert column(drafts.rows, "Kode") == ["19999999"]
    assert column(drafts.rows, "Tahap saat ini") == ["Belum diumumkan"]
    assert column(drafts.rows, "Status") == ["Draf"]
    login(client, who.head)
    assert client.get(url, {"unduh": "csv"}).status_code == 403


# --- Schedule change requests --------------------------------------------------------------


def test_rpt1_schedule_change_export_equals_the_queue_and_is_for_deciders(client, head, committee):
    who = public_data.people()
    tender = public_data.make_tender(who, "20000001", name="Paket perubahan")
    now = timezone.now()
    for n in range(30):
        ScheduleChange.objects.create(
            tender=tender,
            status="pending" if n % 2 else "refused",
            reason=f"Alasan perubahan {n:03d}",
            before=[],
            after=[],
            requested_by=who.committee,
            requested_at=now - timedelta(hours=n),
        )
    url = reverse("tenders:change_queue")
    login(client, head)
    reasons = [f"Alasan perubahan {n:03d}" for n in range(30)]
    page = all_pages(client, url, {}, reasons, page_param="halaman")  # pending by default
    assert len(page) == 15
    rows = read_csv(client.get(url, {"unduh": "csv"}))
    assert column(rows, "Alasan") == page
    everything = read_xlsx(client.get(url, {"status": "", "unduh": "xlsx"}))
    assert column(everything.rows, "Alasan") == all_pages(
        client, url, {"status": ""}, reasons, page_param="halaman"
    )
    assert len(everything.rows) == 31
    response = client.get(url, {"status": "entah", "unduh": "csv"})
    assert response.status_code == 400
    assert "Status entah tidak ada" in response.content.decode()
    login(client, committee)
    assert client.get(url, {"unduh": "csv"}).status_code == 403
    assert exported_lists() == ["perubahan-jadwal"] * 2


# --- E-mail change requests ----------------------------------------------------------------


def test_rpt1_email_change_export_equals_the_filtered_list(client, appadmin, vendor):
    company = make_vendor(vendor)
    now = timezone.now()
    for n in range(55):
        letter = CompanyDocument.objects.create(
            vendor=company,
            section="email_change",
            record_id=n + 1,
            version=1,
            original_name=f"surat-{n}.pdf",
            stored_name=f"x{n}",
            size=10,
            detected_type="pdf",
            mime_type="application/pdf",
            md5="0" * 32,
            sha256="0" * 64,
            uploaded_by=vendor,
        )
        EmailChangeRequest.objects.create(
            vendor=company,
            old_email=f"lama{n:03d}@contoh.co.id",
            new_email=f"=baru{n:03d}@contoh.co.id" if n == 0 else f"baru{n:03d}@contoh.co.id",
            status="applied" if n % 5 else "refused",
            letter=letter,
            requested_at=now - timedelta(hours=n),
            requested_by=vendor,
        )
    url = reverse("vendors:email_changes")
    login(client, appadmin)
    olds = [f"lama{n:03d}@contoh.co.id" for n in range(55)]
    page = all_pages(client, url, {"status": "applied"}, olds)
    assert len(page) == 44  # 50 on the first page, the rest on the second
    rows = read_csv(client.get(url, {"status": "applied", "unduh": "csv"}))
    assert column(rows, "E-mail lama") == page
    refused = read_xlsx(client.get(url, {"status": "refused", "unduh": "xlsx"}))
    assert column(refused.rows, "E-mail lama")[0] == "lama000@contoh.co.id"
    assert refused.formulas == 0 and (1, refused.rows[0].index("E-mail baru")) in refused.quoted
    assert exported_lists() == ["perubahan-email"] * 2
    login(client, vendor)
    assert client.get(url, {"unduh": "csv"}).status_code == 403


# --- Incidents -----------------------------------------------------------------------------


def test_rpt1_incident_export_equals_the_filtered_list_for_readers_only(client, head, committee):
    make_incidents(80)
    url = reverse("ops:incidents")
    login(client, head)
    titles = [f"Insiden uji {n:03d}" for n in range(80)]
    page = all_pages(client, url, {"tingkat": "critical"}, titles)
    assert len(page) == 40
    rows = read_csv(client.get(url, {"tingkat": "critical", "unduh": "csv"}))
    assert column(rows, "Insiden") == page
    sheet = read_xlsx(client.get(url, {"tingkat": "critical", "unduh": "xlsx"}))
    assert column(sheet.rows, "Insiden") == page
    response = client.get(url, {"tingkat": "bencana", "unduh": "xlsx"})
    assert response.status_code == 400
    assert "Tingkat bencana tidak ada" in response.content.decode()
    login(client, committee)
    assert client.get(url, {"unduh": "csv"}).status_code == 403


def test_rpt1_public_tender_export_queries_do_not_grow_with_tenders(client):
    """Stages are prefetched per chunk of rows, participant counts annotated: no N+1."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    who = public_data.people()
    counts = []
    for first, total in ((0, 2), (2, 25)):
        for n in range(first, total):
            public_data.make_tender(who, f"{40000000 + n}", name=f"Paket {n}")
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get(reverse("tenders:public_list"), {"unduh": "csv"}))
        assert len(rows) == 1 + total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
