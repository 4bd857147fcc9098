"""Known data for the monthly summary tests (RPT-1): October 2026 against September 2026.

Each comment says what the summary must count. Rows are written straight to the tables
(the summary only reads them); SOP step timings go through the SOP services.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import make_user

WIB = ZoneInfo("Asia/Jakarta")
OCTOBER = date(2026, 10, 1)
#: "Today" of the tests: the last full month is October 2026.
TODAY = datetime(2026, 11, 16, 10, 0, tzinfo=WIB)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


OCT = wib(2026, 10, 14, 10, 0)
SEP = wib(2026, 9, 15, 10, 0)


def numbered_vendor(user, n: int, *, registered: datetime, **extra):
    """Company number `n` of `user`, registered at `registered`; `extra` sets status, dates."""
    from lpse.vendors.models import Vendor

    fields = {"verification_deadline": registered + timedelta(days=9)} | extra
    return Vendor.objects.create(
        name=f"PT Uji {n}",
        legal_form="pt",
        tax_id=f"0123456789{n:05d}",
        address="Jl. Uji",
        city="Kabupaten Tangerang",
        phone="021555000",
        director_name="Budi",
        director_id_number="3603010101800001",
        email=user.email,
        user=user,
        registration_number=f"REG-2026-{n:06d}",
        registered_at=registered,
        **fields,
    )


def _vendors(verifier) -> None:
    from lpse.vendors.choices import VendorStatus, VerificationOutcome
    from lpse.vendors.models import Verification

    def vendor(n: int, registered, **extra):
        return numbered_vendor(
            make_user(f"penyedia{n}", Role.VENDOR), n, registered=registered, **extra
        )

    # Registered: 3 in October, 1 in September. Verified: 2 in October, 1 in September.
    # Expired: 1 in October.
    verified = VendorStatus.VERIFIED
    first = vendor(1, OCT, status=verified, verified_at=OCT + timedelta(days=2))
    second = vendor(2, OCT, status=verified, verified_at=OCT + timedelta(days=3))
    vendor(3, OCT)
    fourth = vendor(4, SEP, status=verified, verified_at=SEP + timedelta(days=1))
    vendor(5, wib(2026, 8, 3, 9), status=VendorStatus.EXPIRED, expired_at=OCT)
    # Desk sessions: 3 in October (2 complete, 1 rejected), 1 in September (incomplete).
    for subject, outcome, at in (
        (first, VerificationOutcome.COMPLETE, OCT),
        (second, VerificationOutcome.COMPLETE, OCT),
        (second, VerificationOutcome.REJECTED, OCT - timedelta(days=1)),
        (fourth, VerificationOutcome.INCOMPLETE, SEP),
    ):
        Verification.objects.create(
            vendor=subject, verifier=verifier, started_at=at, ended_at=at, outcome=outcome
        )


def _tickets(helpdesk) -> None:
    from lpse.desk.choices import Channel, EscalationReason, RequesterType, TicketStatus
    from lpse.desk.models import Escalation, Ticket, Topic

    spse, account = Topic.objects.create(name="SPSE"), Topic.objects.create(name="Akun")

    def ticket(topic, channel, requester_type, at, rating=None, inside=True):
        return Ticket.objects.create(
            topic=topic,
            channel=channel,
            requester_type=requester_type,
            subject="Pertanyaan",
            question="?",
            requester_name="Penanya",
            status=TicketStatus.CLOSED,
            received_at=at,
            closed_at=at,
            rating=rating,
            inside_working_hours=inside,
        )

    # October: 4 tickets (SPSE 3, Akun 1; phone 2, web 1, walk-in 1; vendor 3, PPK 1),
    # 1 outside working hours, ratings 5 and 4 (average 4.5), 1 escalated to LKPP.
    first = ticket(spse, Channel.PHONE, RequesterType.VENDOR, OCT, rating=5)
    ticket(spse, Channel.PHONE, RequesterType.VENDOR, OCT, rating=4)
    ticket(spse, Channel.WALK_IN, RequesterType.VENDOR, OCT, inside=False)
    ticket(account, Channel.WEB, RequesterType.PPK, OCT)
    # September: 1 ticket rated 3.
    ticket(account, Channel.EMAIL, RequesterType.PUBLIC, SEP, rating=3)
    Escalation.objects.create(
        ticket=first,
        reason=EscalationReason.CANNOT_SOLVE,
        sent_summary="Tidak bisa login",
        lkpp_reference="LKPP-1",
        sent_at=OCT,
        sent_by=helpdesk,
    )


def _training(helpdesk, work_unit) -> None:
    from lpse.training.choices import Audience, RequestStatus, ResourceKind
    from lpse.training.models import TrainingRequest, TrainingResource, TrainingSession

    room = TrainingResource.objects.create(kind=ResourceKind.ROOM, name="Ruang 1")
    server = TrainingResource.objects.create(kind=ResourceKind.SERVER, name="Latihan 1")
    trainer = make_user("pelatih", Role.TRAINER)

    def request(at, status, attended=None, session_at=None):
        training = TrainingRequest.objects.create(
            work_unit=work_unit,
            requested_by=helpdesk,
            requested_at=at,
            audience=Audience.AGENCY,
            letter_number="005/1",
            letter_text="Mohon pelatihan.",
            letter_date=at.date(),
            wanted_date=at.date(),
            participant_count=20,
            contact_name="Narahubung",
            contact_phone="0812",
            contact_email="narahubung@contoh.go.id",
            status=status,
            attended_count=attended,
        )
        if session_at:
            TrainingSession.objects.create(
                request=training,
                starts_at=session_at,
                ends_at=session_at + timedelta(hours=3),
                room=room,
                server=server,
                trainer=trainer,
                scheduled_by=helpdesk,
            )

    # Requests: 2 in October, 1 in September. Held in October: 1 session, 17 present;
    # not held in October: 1. Held in September: 1, 12 present.
    request(OCT, RequestStatus.HELD, attended=17, session_at=OCT + timedelta(days=5))
    request(OCT, RequestStatus.NOT_HELD, session_at=OCT + timedelta(days=6))
    request(SEP, RequestStatus.HELD, attended=12, session_at=SEP + timedelta(days=1))


def _tenders(committee, head, work_unit) -> None:
    from lpse.bids.failure_choices import RequestChannel, RequestStatus
    from lpse.bids.failure_models import FailedOpeningRequest
    from lpse.tenders.choices import Category, Method, ScheduleChangeStatus, TenderStatus
    from lpse.tenders.models import ScheduleChange, Tender

    def tender(n, **extra):
        return Tender.objects.create(
            code=f"T{n}",
            name=f"Paket {n}",
            work_unit=work_unit,
            budget_year=2026,
            hps=Decimal("1000000"),
            method=Method.TENDER,
            category=Category.GOODS,
            created_by=committee,
            **extra,
        )

    announced = TenderStatus.ANNOUNCED
    # Announced: 2 in October, 1 in September; closed: 1 in October.
    first = tender(1, status=announced, announced_at=OCT)
    tender(2, status=TenderStatus.CLOSED, announced_at=OCT, closed_at=OCT + timedelta(days=9))
    tender(3, status=announced, announced_at=SEP)

    def change(status, at, decided=None):
        ScheduleChange.objects.create(
            tender=first,
            status=status,
            reason="Alasan",
            before=[],
            after=[],
            requested_by=committee,
            requested_at=at,
            decided_by=head if decided else None,
            decided_at=decided,
        )

    # Changes requested: 3 in October (1 approved, 1 refused, 1 pending), 1 in September
    # (approved in September).
    change(ScheduleChangeStatus.APPROVED, OCT, OCT + timedelta(hours=2))
    change(ScheduleChangeStatus.REFUSED, OCT, OCT + timedelta(hours=3))
    change(ScheduleChangeStatus.PENDING, OCT)
    change(ScheduleChangeStatus.APPROVED, SEP, SEP + timedelta(hours=1))

    # Failed-opening requests: 2 filed in October (1 escalated to LKPP in October),
    # 1 filed and closed in September.
    for at, extra in (
        (OCT, {"status": RequestStatus.ESCALATED, "escalated_at": OCT + timedelta(hours=4)}),
        (OCT, {}),
        (SEP, {"status": RequestStatus.CLOSED, "closed_at": SEP + timedelta(days=1)}),
    ):
        FailedOpeningRequest.objects.create(
            tender=first, channel=RequestChannel.SYSTEM, filed_by=committee, filed_at=at, **extra
        )


def _operations() -> None:
    from lpse.backups.choices import RunStatus, Trigger, VerifyResult
    from lpse.backups.models import BackupRun
    from lpse.ops.choices import IncidentStatus, Level
    from lpse.ops.models import Incident, UptimeMonth

    # Incidents opened: 3 in October (1 critical, 2 warning), 2 closed in October;
    # 1 warning in September.
    for n, (level, opened, closed) in enumerate(
        (
            (Level.CRITICAL, OCT, OCT + timedelta(hours=1)),
            (Level.WARNING, OCT, OCT + timedelta(hours=2)),
            (Level.WARNING, OCT, None),
            (Level.WARNING, SEP, SEP + timedelta(hours=1)),
        )
    ):
        Incident.objects.create(
            key=f"kondisi-{n}",
            status=IncidentStatus.CLOSED if closed else IncidentStatus.OPEN,
            level=level,
            peak_level=level,
            title=f"Insiden {n}",
            opened_at=opened,
            closed_at=closed,
        )
    # Website uptime: 99% in October, 95% in September.
    UptimeMonth.objects.create(series="website_up", month=OCTOBER, runs=100, up_runs=99)
    UptimeMonth.objects.create(series="website_up", month=date(2026, 9, 1), runs=100, up_runs=95)
    # Backups: 3 runs in October (2 complete of which 1 verified, 1 failed); 1 in September.
    for n, (status, at, verify) in enumerate(
        (
            (RunStatus.COMPLETE, OCT, VerifyResult.OK),
            (RunStatus.COMPLETE, OCT + timedelta(days=1), VerifyResult.UNVERIFIED),
            (RunStatus.FAILED, OCT + timedelta(days=2), VerifyResult.UNVERIFIED),
            (RunStatus.COMPLETE, SEP, VerifyResult.OK),
            (RunStatus.COMPLETE, wib(2026, 11, 2, 1), VerifyResult.OK),  # after October
        )
    ):
        BackupRun.objects.create(
            backup_id=f"cadangan-{n}",
            trigger=Trigger.SCHEDULE,
            status=status,
            started_at=at,
            verify_result=verify,
        )


def _sop_runs(subject, by) -> None:
    """SOP 1.1 step 9 (15 - 30 minutes): October 10, 20 and 45 minutes (2 of 3 within,
    66.7%); September 10 minutes (100%)."""
    from lpse.sop.services import finish_step, open_case, start_step

    for start, minutes in (
        (wib(2026, 10, 12, 10, 0), 10),
        (wib(2026, 10, 13, 10, 0), 20),
        (wib(2026, 10, 14, 10, 0), 45),
        (wib(2026, 9, 14, 10, 0), 10),
    ):
        case = open_case("1.1", subject=subject, by=by)
        start_step(case, 9, by=by, at=start)
        finish_step(case, 9, by=by, at=start + timedelta(minutes=minutes))


def build(*, verifier, helpdesk, committee, head) -> None:
    from lpse.sop.services import load_procedures

    load_procedures()
    work_unit = WorkUnit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi")
    _vendors(verifier)
    _tickets(helpdesk)
    _training(helpdesk, work_unit)
    _tenders(committee, head, work_unit)
    _operations()
    _sop_runs(head, verifier)
