"""RPT-1: every filtered list exports to CSV and XLSX with the page's filters and access.

This file: the export module itself (streaming, memory, injection, WIB dates,
file names), and the audit, vendor desk and helpdesk lists. The other lists
are in test_exports_lists.py. Runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.audit.services import record
from lpse.conftest import login, make_user
from lpse.desk.models import Ticket, Topic
from lpse.ops.models import Incident
from lpse.reports import exports
from lpse.vendors.tests.company_helpers import make_vendor

from .export_helpers import all_pages, column, read_csv, read_xlsx, shown_in_order

pytestmark = pytest.mark.django_db


def export_events(user=None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action="reports.export")
    if user is not None:
        events = events.filter(actor=user)
    return list(events.order_by("seq"))


# --- The module ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+62 21 555", "-1+1", "@SUM(A1)", "\tTAB", "\rCR"],
)
def test_rpt1_csv_cells_that_a_spreadsheet_would_evaluate_get_a_leading_apostrophe(text):
    assert exports.csv_text(text) == "'" + text


def test_rpt1_csv_plain_values_are_left_alone_and_dates_are_wib():
    assert exports.csv_text("PT Maju Jaya — Tangerang") == "PT Maju Jaya — Tangerang"
    assert exports.csv_text(None) == ""
    assert exports.csv_text(Decimal("1250000000.00")) == "1250000000.00"
    # 17:30 UTC is half past midnight the next day in Jakarta (UTC+7).
    assert exports.csv_text(datetime(2026, 3, 1, 17, 30, tzinfo=UTC)) == "2026-03-02 00:30"


def test_rpt1_file_name_carries_the_list_and_the_wib_date():
    listing = exports.Listing("insiden", "Insiden", ())
    # 20:00 UTC on 31 May is already 1 June in Jakarta.
    moment = datetime(2026, 5, 31, 20, 0, tzinfo=UTC)
    assert exports.file_name(listing, "csv", moment) == "insiden-2026-06-01.csv"
    assert exports.file_name(listing, "xlsx", moment) == "insiden-2026-06-01.xlsx"


def make_incidents(count: int, **fields) -> list[Incident]:
    now = timezone.now()
    return Incident.objects.bulk_create(
        [
            Incident(
                key=f"uji:{n}",
                status="closed",
                level="warning",
                peak_level="critical" if n % 2 else "warning",
                title=f"Insiden uji {n:03d}",
                opened_at=now - timedelta(hours=n + 1),
                closed_at=now - timedelta(hours=n),
                **fields,
            )
            for n in range(count)
        ]
    )


def _fail_on_full_fetch(monkeypatch, model):
    """Make loading a whole queryset of `model` into memory an error."""
    original = QuerySet._fetch_all

    def guarded(self):
        if self.model is model:
            raise AssertionError(f"the export loaded every {model.__name__} into memory")
        return original(self)

    monkeypatch.setattr(QuerySet, "_fetch_all", guarded)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rpt1_export_iterates_the_queryset_in_chunks_never_loading_it_whole(
    client, sysadmin, monkeypatch, fmt
):
    make_incidents(7)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    login(client, sysadmin)
    _fail_on_full_fetch(monkeypatch, Incident)
    response = client.get(reverse("ops:incidents"), {"unduh": fmt})
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response).rows
    assert len(rows) == 1 + 7


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rpt1_export_query_count_does_not_grow_with_rows(client, sysadmin, fmt):
    login(client, sysadmin)
    client.get(reverse("ops:incidents"))  # the session's first request does its own work
    counts = []
    for total in (3, 60):
        Incident.objects.all().delete()
        make_incidents(total)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("ops:incidents"), {"unduh": fmt})
            rows = read_csv(response) if fmt == "csv" else read_xlsx(response).rows
        assert len(rows) == 1 + total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_rpt1_xlsx_text_is_never_a_formula_and_risky_text_is_quote_prefixed(client, sysadmin):
    Incident.objects.create(
        key="uji:rumus",
        status="open",
        level="critical",
        peak_level="critical",
        title='=HYPERLINK("http://contoh.invalid","klik")',
        acknowledgement="@SUM(1+1)",
    )
    login(client, sysadmin)
    sheet = read_xlsx(client.get(reverse("ops:incidents"), {"unduh": "xlsx"}))
    assert sheet.formulas == 0
    titles = column(sheet.rows, "Insiden")
    assert titles == ['=HYPERLINK("http://contoh.invalid","klik")']
    header = sheet.rows[0]
    assert (1, header.index("Insiden")) in sheet.quoted
    assert (1, header.index("Catatan penanganan")) in sheet.quoted
    assert (1, header.index("Status")) not in sheet.quoted

    rows = read_csv(client.get(reverse("ops:incidents"), {"unduh": "csv"}))
    assert column(rows, "Insiden") == ['\'=HYPERLINK("http://contoh.invalid","klik")']
    assert column(rows, "Catatan penanganan") == ["'@SUM(1+1)"]


def test_rpt1_xlsx_dates_are_wib_spreadsheet_dates(client, sysadmin):
    # 17:00 UTC = 00:00 WIB next day; Excel serial 46085 is 2 March 2026.
    Incident.objects.create(
        key="uji:waktu",
        status="open",
        level="warning",
        peak_level="warning",
        title="Disk hampir penuh",
        opened_at=datetime(2026, 3, 1, 17, 0, tzinfo=UTC),
    )
    login(client, sysadmin)
    with time_machine.travel(datetime(2026, 3, 5, 3, 0, tzinfo=UTC), tick=False):
        response = client.get(reverse("ops:incidents"), {"unduh": "xlsx", "dari": "2026-03-01"})
    assert 'filename="insiden-2026-03-05.xlsx"' in response["Content-Disposition"]
    sheet = read_xlsx(response)
    assert column(sheet.rows, "Dibuka (WIB)") == ["46083"]  # 2 March 2026 00:00


# --- Audit events --------------------------------------------------------------------------


def test_rpt1_audit_export_equals_the_filtered_list_and_is_itself_audited(client, head):
    for n in range(60):
        record(f"uji.ekspor.{'a' if n % 3 else 'b'}", actor=None, summary=f"Peristiwa {n:03d}")
    login(client, head)
    url = reverse("audit:list")
    wanted = [f"Peristiwa {n:03d}" for n in range(60) if n % 3]
    page = all_pages(client, url, {"action": "uji.ekspor.a"}, wanted, page_param="halaman")
    assert len(page) == 40  # two pages of 50 and fewer
    rows = read_csv(client.get(url, {"action": "uji.ekspor.a", "unduh": "csv"}))
    assert rows[0][:4] == ["Nomor urut", "Waktu (WIB)", "Pelaku", "Tindakan"]
    assert column(rows, "Ringkasan") == page
    sheet = read_xlsx(client.get(url, {"action": "uji.ekspor.a", "unduh": "xlsx"}))
    assert column(sheet.rows, "Ringkasan") == page

    events = export_events(head)
    assert [event.after["format"] for event in events] == ["csv", "xlsx"]
    assert events[0].after == {
        "list": "jejak-audit",
        "format": "csv",
        "filters": {"action": "uji.ekspor.a"},
    }


def test_rpt1_audit_export_with_a_bad_date_is_refused_with_the_page_message(client, head):
    login(client, head)
    response = client.get(reverse("audit:list"), {"since": "31-31-2026", "unduh": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Tanggal tidak valid." in text
    assert "Berkas tidak dibuat" in text
    assert export_events() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rpt1_audit_export_is_closed_to_other_roles(client, helpdesk, fmt):
    login(client, helpdesk)
    assert client.get(reverse("audit:list"), {"unduh": fmt}).status_code == 403
    assert export_events() == []


def test_rpt1_audit_page_offers_the_download_buttons_with_its_filters(client, head):
    login(client, head)
    html = client.get(reverse("audit:list"), {"action": "auth.", "halaman": "2"}).content
    text = html.decode()
    assert "Unduh CSV" in text and "Unduh XLSX" in text
    assert "?action=auth.&amp;unduh=csv" in text
    assert "halaman=2&amp;unduh" not in text


# --- Vendors (the verification desk) -------------------------------------------------------


def make_vendors():
    for n in range(30):
        user = make_user(f"sumber{n:03d}", Role.VENDOR, email=f"admin{n}@sumber.co.id")
        make_vendor(
            user,
            name=f"CV Sumber Rejeki {n:03d}",
            tax_id=f"{n + 1:015d}",
            verified=False,
            registration_number=f"REG-2026-{n + 1:06d}",
        )
    other = make_user("lain001", Role.VENDOR, email="admin@lain.co.id")
    make_vendor(
        other,
        name="PT Lain Sendiri",
        tax_id="999999999999999",
        verified=False,
        registration_number="REG-2026-000999",
    )
    done = make_user("selesai1", Role.VENDOR, email="admin@selesai.co.id")
    make_vendor(
        done,
        name="CV Sumber Verified",
        tax_id="888888888888888",
        registration_number="REG-2026-000888",
        activated_at=timezone.now(),
    )


def test_rpt1_vendor_export_has_every_page_of_the_filtered_desk(client, verifier):
    make_vendors()
    login(client, verifier)
    url = reverse("vendors:desk")
    numbers = [f"REG-2026-{n:06d}" for n in (*range(1, 31), 999, 888)]
    page = all_pages(client, url, {"q": "cv sumber"}, numbers)
    assert len(page) == 30  # 25 on the first page, 5 on the second; not the verified one
    rows = read_csv(client.get(url, {"q": "cv sumber", "unduh": "csv"}))
    assert rows[0][:4] == ["Nomor pendaftaran", "Nama perusahaan", "Bentuk usaha", "NPWP"]
    assert column(rows, "Nomor pendaftaran") == page
    assert set(column(rows, "Status")) == {"Menunggu verifikasi"}
    sheet = read_xlsx(client.get(url, {"q": "cv sumber", "unduh": "xlsx"}))
    assert column(sheet.rows, "Nomor pendaftaran") == page
    assert column(sheet.rows, "NPWP")[0] == "000000000000001"  # text, leading zeros kept

    verified = read_csv(client.get(url, {"status": "verified", "unduh": "csv"}))
    assert column(verified, "Nomor pendaftaran") == ["REG-2026-000888"]
    events = export_events(verifier)
    assert [(e.after["format"], e.after["filters"]) for e in events] == [
        ("csv", {"q": "cv sumber"}),
        ("xlsx", {"q": "cv sumber"}),
        ("csv", {"status": "verified"}),
    ]


def test_rpt1_vendor_export_refuses_an_unknown_status_and_outsiders(client, verifier, helpdesk):
    login(client, verifier)
    response = client.get(reverse("vendors:desk"), {"status": "hilang", "unduh": "xlsx"})
    assert response.status_code == 400
    assert "Status hilang tidak ada. Pilih dari daftar." in response.content.decode()
    login(client, helpdesk)
    assert client.get(reverse("vendors:desk"), {"unduh": "csv"}).status_code == 403
    assert export_events() == []


# --- Tickets (the helpdesk queue) ----------------------------------------------------------


def make_tickets(count: int, officer) -> list[Ticket]:
    topics = list(Topic.objects.order_by("pk")[:2])
    now = timezone.now()
    return Ticket.objects.bulk_create(
        [
            Ticket(
                reference=f"HD-2026-{n + 1:06d}",
                requester_type="vendor",
                channel=("phone", "email")[n % 2],
                topic=topics[n % 2],
                subject=f"Lupa kata sandi {n}",
                question="?",
                requester_name=f"Penanya {n:03d}",
                search_name=f"penanya {n:03d}",
                requester_email=f"p{n}@contoh.id",
                status=("new", "open", "closed")[n % 3],
                queue_at=None if n % 3 == 2 else now - timedelta(minutes=n),
                assigned_to=officer if n % 2 else None,
                received_at=now - timedelta(minutes=n),
                last_activity_at=now,
            )
            for n in range(count)
        ]
    )


def test_rpt1_ticket_export_equals_the_filtered_queue_all_pages(client, helpdesk):
    make_tickets(70, helpdesk)
    login(client, helpdesk)
    url = reverse("desk:queue")
    params = {"status": "all", "saluran": "email"}
    references = [f"HD-2026-{n:06d}" for n in range(1, 71)]
    page = all_pages(client, url, params, references)
    assert len(page) == 35  # the e-mail half, over two pages of 25
    rows = read_csv(client.get(url, {**params, "unduh": "csv"}))
    assert column(rows, "Nomor") == page
    assert set(column(rows, "Saluran")) == {"E-mail"}
    sheet = read_xlsx(client.get(url, {**params, "unduh": "xlsx"}))
    assert column(sheet.rows, "Nomor") == page
    assert column(sheet.rows, "Penanya")[0] == "Penanya 001"

    mine = read_csv(client.get(url, {"status": "all", "petugas": "me", "unduh": "csv"}))
    assert len(mine) - 1 == 35 and set(column(mine, "Petugas")) == {helpdesk.username}
    assert len(export_events(helpdesk)) == 3


def test_rpt1_ticket_export_with_a_bad_filter_gives_400_and_no_file(client, helpdesk):
    login(client, helpdesk)
    url = reverse("desk:queue")
    for params, message in (
        ({"saluran": "merpati"}, "Saluran merpati tidak ada. Pilih dari daftar."),
        ({"dari": "2026-05-10", "sampai": "2026-05-01"}, "Tanggal akhir tidak boleh sebelum"),
        ({"topik": "satu"}, "Topik tidak dikenal."),
    ):
        response = client.get(url, {**params, "unduh": "csv"})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert export_events() == []


def test_rpt1_ticket_export_is_closed_to_requesters(client, vendor):
    login(client, vendor)
    assert client.get(reverse("desk:queue"), {"unduh": "csv"}).status_code == 403


def test_rpt1_unknown_export_format_just_shows_the_page(client, helpdesk):
    login(client, helpdesk)
    response = client.get(reverse("desk:queue"), {"unduh": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert shown_in_order(response.content.decode(), ["Unduh CSV"]) == ["Unduh CSV"]
