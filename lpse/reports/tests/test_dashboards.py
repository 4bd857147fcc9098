"""RPT-1: dashboard panels per role on /dasbor/, with the right numbers, nothing of other
users, and a locked query count per role."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import login, make_user

from .summary_data import numbered_vendor

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
#: Monday 16 November 2026, 10:00 WIB.
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=WIB)
URL = "/dasbor/"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def count(html: str, panel: str, key: str) -> str:
    body = html.split(f'id="panel-{panel}"', 1)[1]
    match = re.search(rf'data-count="{key}">([^<]*)<', body)
    assert match, f"{key} not in panel {panel}"
    return match.group(1).strip()


def panel_html(html: str, panel: str) -> str:
    return html.split(f'id="panel-{panel}"', 1)[1].split('id="judul-tautan"', 1)[0]


def page(client, user) -> str:
    login(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def make_vendor(user, n: int, **extra):
    """A company waiting for verification (deadline in 5 days) unless `extra` says otherwise."""
    from lpse.vendors.choices import VendorStatus

    fields = {
        "status": VendorStatus.PENDING_VERIFICATION,
        "verification_deadline": NOW + timedelta(days=5),
    } | extra
    return numbered_vendor(user, n, registered=NOW - timedelta(days=3), **fields)


def make_tender(n: int, creator, **extra):
    from lpse.tenders.choices import Category, Method
    from lpse.tenders.models import Tender

    unit, _created = WorkUnit.objects.get_or_create(code="DISKOMINFO", name="Dinas Komunikasi")
    return Tender.objects.create(
        code=f"{1000 + n}",
        name=f"Paket Pengadaan {n}",
        work_unit=unit,
        budget_year=2026,
        hps=Decimal("1000000"),
        method=Method.TENDER,
        category=Category.GOODS,
        created_by=creator,
        **extra,
    )


def make_ticket(requester=None, **extra):
    from lpse.desk.choices import Channel, RequesterType, TicketStatus
    from lpse.desk.models import Ticket, Topic

    topic, _created = Topic.objects.get_or_create(name="SPSE")
    fields = {"status": TicketStatus.NEW, "queue_at": NOW - timedelta(hours=1)} | extra
    ticket = Ticket.objects.create(
        topic=topic,
        channel=Channel.WEB,
        requester_type=RequesterType.VENDOR,
        subject=extra.pop("subject", "Pertanyaan"),
        question="?",
        requester=requester,
        requester_name="Penanya",
        received_at=NOW - timedelta(hours=1),
        **{key: value for key, value in fields.items() if key != "subject"},
    )
    ticket.reference = f"HD-2026-{ticket.pk}"
    ticket.save(update_fields=["reference"])
    return ticket


# --- Vendor ---------------------------------------------------------------------------------


def make_bid(tender, vendor_company, receipt: str):
    from lpse.bids.choices import BidSource, KeyMode
    from lpse.bids.models import Bid, TenderKey
    from lpse.tenders.models import Participant

    key, _created = TenderKey.objects.get_or_create(
        tender=tender,
        defaults={
            "mode": KeyMode.SERVER_SHARES,
            "certificate_pem": "-",
            "certificate_sha256": "0" * 64,
            "not_after": NOW + timedelta(days=30),
            "created_by": tender.created_by,
        },
    )
    participant = Participant.objects.create(tender=tender, vendor=vendor_company)
    return Bid.objects.create(
        tender=tender,
        participant=participant,
        key=key,
        source=BidSource.BROWSER,
        sealed_name=f"{receipt}.p7m",
        sealed_size=10,
        sealed_md5="0" * 32,
        sealed_sha256="0" * 64,
        submitted_by=vendor_company.user,
        receipt_number=receipt,
        received_at=NOW - timedelta(hours=2),
    )


def test_rpt1_vendor_panel_shows_its_registration_bids_and_tickets_only(
    client, vendor, committee, django_assert_num_queries
):
    from lpse.desk.choices import TicketStatus
    from lpse.vendors.choices import VendorStatus

    own = make_vendor(vendor, 1, status=VendorStatus.VERIFIED, verified_at=NOW, activated_at=NOW)
    other_user = make_user("pt_lain", Role.VENDOR)
    other = make_vendor(other_user, 2, status=VendorStatus.VERIFIED, activated_at=NOW)
    tender = make_tender(1, committee)
    bid = make_bid(tender, own, "TT-MILIK-SENDIRI")
    make_bid(tender, other, "TT-MILIK-LAIN")
    make_ticket(vendor, subject="Tidak bisa unggah")
    make_ticket(vendor, subject="Sudah selesai", status=TicketStatus.CLOSED, queue_at=None)
    make_ticket(other_user, subject="Rahasia penyedia lain")

    login(client, vendor)
    client.get(URL)
    # With a company: its bids are read in one query (+1), whatever their number.
    with django_assert_num_queries(QUERIES[Role.VENDOR] + 1):
        html = client.get(URL).content.decode()
    panel = panel_html(html, "vendor")
    assert "Terverifikasi (REG-2026-000001)" in panel
    assert "dapat mengikuti tender" in panel
    assert f'href="{reverse("bids:receipt", args=[bid.pk])}"' in panel
    assert "TT-MILIK-SENDIRI" in panel
    assert "Tidak bisa unggah" in panel
    assert "TT-MILIK-LAIN" not in html and "Rahasia penyedia lain" not in html
    assert "Sudah selesai" not in panel
    for other_panel in ("verifier", "helpdesk", "committee", "sysadmin", "head"):
        assert f'id="panel-{other_panel}"' not in html


def test_rpt1_pending_vendor_is_told_to_bring_originals_before_its_deadline(client, vendor):
    make_vendor(vendor, 1, verification_deadline=datetime(2026, 11, 19, 16, 0, tzinfo=WIB))
    html = page(client, vendor)
    assert "Menunggu verifikasi" in html
    assert "dokumen asli" in html and "19-11-2026 16:00" in html


# --- Verifier -------------------------------------------------------------------------------


def test_rpt1_verifier_panel_counts_the_queue_and_only_its_own_sessions(client, verifier):
    from lpse.vendors.choices import VendorStatus, VerificationOutcome
    from lpse.vendors.models import Verification

    colleague = make_user("verifikator2", Role.VERIFIER)
    seen = make_vendor(make_user("v1", Role.VENDOR), 1)  # came once, incomplete
    make_vendor(make_user("v2", Role.VENDOR), 2, verification_deadline=NOW + timedelta(hours=20))
    make_vendor(make_user("v3", Role.VENDOR), 3, verification_deadline=NOW - timedelta(hours=1))
    done = make_vendor(make_user("v4", Role.VENDOR), 4, status=VendorStatus.VERIFIED)
    for subject, who, outcome, at in (
        (seen, verifier, VerificationOutcome.INCOMPLETE, NOW - timedelta(days=1)),
        (done, verifier, VerificationOutcome.COMPLETE, NOW - timedelta(days=2)),
        (done, verifier, VerificationOutcome.COMPLETE, datetime(2026, 10, 30, 10, tzinfo=WIB)),
        (done, colleague, VerificationOutcome.REJECTED, NOW - timedelta(days=1)),
    ):
        Verification.objects.create(
            vendor=subject, verifier=who, started_at=at, ended_at=at, outcome=outcome
        )
    html = page(client, verifier)
    assert count(html, "verifier", "queue") == "3"
    assert count(html, "verifier", "not_seen") == "2"
    assert count(html, "verifier", "near") == "1"
    assert count(html, "verifier", "overdue") == "1"
    # Its own sessions in November: the October one and the colleague's are not counted.
    assert count(html, "verifier", "own_total") == "2"
    assert count(html, "verifier", "own_complete") == "1"
    assert count(html, "verifier", "own_incomplete") == "1"
    assert count(html, "verifier", "own_rejected") == "0"


# --- Helpdesk -------------------------------------------------------------------------------


def test_rpt1_helpdesk_panel_counts_open_unassigned_mine_and_sla(client, helpdesk, head):
    from lpse.desk.choices import TicketStatus
    from lpse.sop.models import Step, StepRun
    from lpse.sop.services import load_procedures, open_case

    load_procedures()
    colleague = make_user("helpdesk2", Role.HELPDESK)
    late = make_ticket()
    soon = make_ticket(assigned_to=helpdesk)
    make_ticket(assigned_to=colleague, status=TicketStatus.WAITING_LKPP)
    make_ticket(status=TicketStatus.CLOSED, queue_at=None)
    step = Step.objects.get(procedure__code="2.1", number=1)
    for ticket, due in ((late, NOW - timedelta(minutes=5)), (soon, NOW + timedelta(hours=1))):
        case = open_case("2.1", subject=ticket, by=helpdesk)
        StepRun.objects.create(
            case=case, step=step, started_at=NOW - timedelta(hours=3), due_at=due
        )
    html = page(client, helpdesk)
    assert count(html, "helpdesk", "open") == "3"
    assert count(html, "helpdesk", "unassigned") == "1"
    assert count(html, "helpdesk", "mine") == "1"
    assert count(html, "helpdesk", "waiting_lkpp") == "1"
    assert count(html, "helpdesk", "over") == "1"
    assert count(html, "helpdesk", "near") == "1"


# --- Committee ------------------------------------------------------------------------------


def test_rpt1_committee_panel_shows_only_its_pokja_tenders(
    client, committee, django_assert_num_queries
):
    from lpse.bids.choices import OpeningMethod, OpeningStatus
    from lpse.bids.models import Opening
    from lpse.tenders.choices import ScheduleChangeStatus, StageKind, TenderStatus
    from lpse.tenders.models import CommitteeMember, ScheduleChange, Stage

    other_pokja = make_user("pokja_lain", Role.COMMITTEE)
    announced = {"status": TenderStatus.ANNOUNCED, "announced_at": NOW - timedelta(days=10)}
    due = make_tender(1, committee, **announced)
    opened = make_tender(2, committee, **announced)
    draft = make_tender(3, committee)
    foreign = make_tender(4, other_pokja, **announced)
    for tender, member in ((due, committee), (opened, committee), (draft, committee)):
        CommitteeMember.objects.create(tender=tender, user=member, is_chair=True)
    CommitteeMember.objects.create(tender=foreign, user=other_pokja, is_chair=True)
    for tender in (due, opened, foreign):
        Stage.objects.create(
            tender=tender,
            kind=StageKind.BID_OPENING,
            starts_at=NOW - timedelta(hours=2),
            ends_at=NOW + timedelta(hours=2),
        )
    Opening.objects.create(
        tender=opened,
        status=OpeningStatus.DONE,
        method=OpeningMethod.SHARES,
        opened_by=committee,
        finished_at=NOW - timedelta(hours=1),
    )
    for tender in (due, foreign):
        ScheduleChange.objects.create(
            tender=tender,
            status=ScheduleChangeStatus.PENDING,
            reason="Alasan",
            before=[],
            after=[],
            requested_by=tender.created_by,
        )
    login(client, committee)
    client.get(URL)
    # With tenders: their stages are prefetched and the openings read at once (+2).
    with django_assert_num_queries(QUERIES[Role.COMMITTEE] + 2):
        html = client.get(URL).content.decode()
    panel = panel_html(html, "committee")
    assert "3 tender Pokja Anda per tahap" in panel
    assert re.search(r"Pembukaan Dokumen Penawaran</dt><dd[^>]*>2<", panel)
    assert re.search(r"Belum diumumkan</dt><dd[^>]*>1<", panel)
    assert count(html, "committee", "pending_changes") == "1"
    assert count(html, "committee", "openings_due") == "1"
    assert "1001" in panel and "1004" not in panel and "Paket Pengadaan 4" not in html


# --- System administrator -------------------------------------------------------------------


def test_rpt1_sysadmin_panel_shows_incidents_backup_age_and_probes(client, sysadmin):
    from lpse.backups.choices import RunStatus, Trigger, VerifyResult
    from lpse.backups.models import BackupRun
    from lpse.ops.choices import IncidentStatus, Level
    from lpse.ops.models import Incident, ProbeRun

    for n, (level, status) in enumerate(
        (
            (Level.CRITICAL, IncidentStatus.OPEN),
            (Level.WARNING, IncidentStatus.OPEN),
            (Level.WARNING, IncidentStatus.OPEN),
            (Level.CRITICAL, IncidentStatus.CLOSED),
        )
    ):
        Incident.objects.create(
            key=f"k{n}", status=status, level=level, peak_level=level, title=f"Insiden {n}"
        )
    BackupRun.objects.create(
        backup_id="cadangan-lama",
        trigger=Trigger.SCHEDULE,
        status=RunStatus.COMPLETE,
        started_at=NOW - timedelta(hours=30),
        verify_result=VerifyResult.OK,
    )
    ProbeRun.objects.create(kind="website", at=NOW - timedelta(minutes=1), level=Level.WARNING)
    html = page(client, sysadmin)
    assert count(html, "sysadmin", "open_incidents") == "3"
    assert count(html, "sysadmin", "critical") == "1"
    assert count(html, "sysadmin", "warning") == "2"
    assert "cadangan-lama, 30 jam yang lalu" in html
    probes = html.split('id="sysadmin-probes"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>website</td><td>Peringatan</td>", probes)


# --- Head -----------------------------------------------------------------------------------


def test_rpt1_head_panel_shows_what_awaits_the_head_and_sop3_share(client, head, committee):
    from lpse.bids.failure_choices import RequestChannel, RequestStatus
    from lpse.bids.failure_models import FailedOpeningRequest
    from lpse.sop.services import finish_step, load_procedures, open_case, start_step
    from lpse.tenders.choices import ScheduleChangeStatus
    from lpse.tenders.models import ScheduleChange

    load_procedures()
    tender = make_tender(1, committee)
    for status in (ScheduleChangeStatus.PENDING, ScheduleChangeStatus.APPROVED):
        ScheduleChange.objects.create(
            tender=tender, status=status, reason="-", before=[], after=[], requested_by=committee
        )
    for status in (RequestStatus.FILED, RequestStatus.HANDLING):
        FailedOpeningRequest.objects.create(
            tender=tender, channel=RequestChannel.SYSTEM, filed_by=committee, status=status
        )
    # SOP 1.1 step 9 (15-30 minutes) in November: 10 minutes (within), 45 minutes (missed).
    for day, minutes in ((9, 10), (10, 45)):
        case = open_case("1.1", subject=tender, by=head)
        start = datetime(2026, 11, day, 10, 0, tzinfo=WIB)
        start_step(case, 9, by=head, at=start)
        finish_step(case, 9, by=head, at=start + timedelta(minutes=minutes))
    html = page(client, head)
    assert count(html, "head", "pending_changes") == "1"
    assert count(html, "head", "filed_failures") == "1"
    sop = html.split('id="head-sop3"', 1)[1].split("</p>", 1)[0]
    assert "November 2026" in sop and "50,0%" in sop
    assert f'href="{reverse("reports:monthly")}"' in panel_html(html, "head")


def test_rpt1_user_without_roles_or_superuser_without_roles_gets_no_panel(client, outsider):
    html = page(client, outsider)
    assert 'id="judul-panel"' not in html
    admin = make_user("super", is_superuser=True)
    client.logout()
    assert 'id="judul-panel"' not in page(client, admin)


# --- Query counts ---------------------------------------------------------------------------

#: Dashboard queries per role with the panel, locked (session, user, roles, maintenance
#: banner, then the panel's own few queries). The ops panel reads one latest run per probe kind.
QUERIES = {
    Role.VENDOR: 6,
    Role.VERIFIER: 7,
    Role.HELPDESK: 7,
    Role.COMMITTEE: 6,
    Role.SYSADMIN: 15,
    Role.HEAD: 8,
    Role.TRAINER: 5,
}


@pytest.mark.parametrize("role", list(QUERIES))
def test_rpt1_dashboard_query_count_per_role_is_locked(client, role, django_assert_num_queries):
    user = make_user(f"pengguna_{role}", role)
    login(client, user)
    client.get(URL)
    with django_assert_num_queries(QUERIES[role]):
        assert client.get(URL).status_code == 200
