"""Dashboard panels per role (RPT-1): one function per role the user holds, each a few
read-only queries scoped to the user. A panel never shows another user's own data: the
vendor sees its company, bids and tickets; the verifier its own sessions; the committee
its Pokja's tenders. Staff counters (queue sizes) are the work of the whole desk.

Each function returns a `Panel`: the include that renders it and its data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.accounts.choices import Role
from lpse.backups import selectors as backup_selectors
from lpse.bids.choices import OpeningStatus
from lpse.bids.failure_choices import RequestStatus as FailureStatus
from lpse.bids.failure_models import FailedOpeningRequest
from lpse.bids.models import Opening
from lpse.bids.selectors import submitted_bids_of_vendor
from lpse.desk.choices import TicketStatus
from lpse.desk.models import Ticket
from lpse.desk.steps import HELPDESK, UPLOAD
from lpse.ops import selectors as ops_selectors
from lpse.ops.choices import IncidentStatus, Level
from lpse.ops.models import Incident
from lpse.sop.choices import CaseStatus
from lpse.sop.models import StepRun
from lpse.tenders.choices import ScheduleChangeStatus, StageKind, TenderStatus
from lpse.tenders.models import ScheduleChange
from lpse.tenders.selectors import committee_tenders, vendor_of
from lpse.vendors.choices import VendorStatus, VerificationOutcome
from lpse.vendors.models import Vendor, Verification

from .months import Period, bounds
from .selectors import SUMMARY_ROLES, sop_share

#: A deadline this close is "near" on the verifier's and the helpdesk's panels.
NEAR = timedelta(hours=48)
SLA_NEAR = timedelta(hours=2)
LIST_SIZE = 5


@dataclass
class Panel:
    key: str
    title: str
    template: str
    data: dict = field(default_factory=dict)


def _this_month(now: datetime) -> tuple[datetime, datetime]:
    return bounds(timezone.localdate(now).replace(day=1))


# --- Vendor ---------------------------------------------------------------------------------


def _next_step(vendor: Vendor | None) -> str:
    if vendor is None:
        return _("Akun ini belum terhubung dengan perusahaan penyedia. Hubungi helpdesk LPSE.")
    if vendor.status == VendorStatus.PENDING_VERIFICATION:
        deadline = timezone.localtime(vendor.verification_deadline).strftime("%d-%m-%Y %H:%M")
        return _(
            "Datang ke meja verifikasi LPSE dengan dokumen asli dan formulir yang sudah "
            "ditandatangani sebelum %(deadline)s."
        ) % {"deadline": deadline}
    if vendor.status == VendorStatus.VERIFIED and vendor.activated_at is None:
        return _("Aktifkan akun Anda dengan kode aktivasi yang diberikan verifikator.")
    if vendor.status == VendorStatus.VERIFIED:
        return _("Perusahaan Anda terverifikasi dan dapat mengikuti tender.")
    if vendor.status == VendorStatus.REJECTED:
        return _("Verifikasi ditolak. Lengkapi dokumen lalu daftar kembali.")
    return _("Batas waktu verifikasi terlewati. Daftar kembali untuk melanjutkan.")


def vendor_panel(user, now: datetime) -> Panel:
    """Its registration status and next step, its bids with receipts, its open tickets."""
    vendor = vendor_of(user)  # cached on the user: the bids below reuse it
    bids = list(submitted_bids_of_vendor(user).order_by("-received_at", "-pk")[: LIST_SIZE + 1])
    tickets = list(
        Ticket.objects.filter(requester=user)
        .exclude(status=TicketStatus.CLOSED)
        .select_related("topic")
        .order_by("-received_at", "-pk")[: LIST_SIZE + 1]
    )
    return Panel(
        "vendor",
        _("Perusahaan Anda"),
        "reports/panels/vendor.html",
        {
            "vendor": vendor,
            "next_step": _next_step(vendor),
            "bids": bids[:LIST_SIZE],
            "more_bids": len(bids) > LIST_SIZE,
            "tickets": tickets[:LIST_SIZE],
            "more_tickets": len(tickets) > LIST_SIZE,
        },
    )


# --- Verifier -------------------------------------------------------------------------------


def verifier_panel(user, now: datetime) -> Panel:
    """The desk queue (size, not yet seen in person, deadlines near or passed) and the
    verifier's own sessions this month."""
    seen = Verification.objects.filter(vendor=OuterRef("pk"))
    queue = Vendor.objects.filter(status=VendorStatus.PENDING_VERIFICATION).aggregate(
        total=Count("pk"),
        not_seen=Count("pk", filter=~Q(Exists(seen))),
        near=Count(
            "pk", filter=Q(verification_deadline__gt=now, verification_deadline__lte=now + NEAR)
        ),
        overdue=Count("pk", filter=Q(verification_deadline__lte=now)),
    )
    start, end = _this_month(now)
    mine = Verification.objects.filter(verifier=user, ended_at__gte=start, ended_at__lt=end)
    own = mine.aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=Q(outcome=VerificationOutcome.COMPLETE)),
        incomplete=Count("pk", filter=Q(outcome=VerificationOutcome.INCOMPLETE)),
        rejected=Count("pk", filter=Q(outcome=VerificationOutcome.REJECTED)),
    )
    return Panel(
        "verifier",
        _("Meja verifikasi"),
        "reports/panels/verifier.html",
        {"queue": queue, "own": own, "near_hours": int(NEAR.total_seconds() // 3600)},
    )


# --- Helpdesk -------------------------------------------------------------------------------


def helpdesk_panel(user, now: datetime) -> Panel:
    """Open tickets, unassigned, the officer's own, and tickets near or over the SOP's
    time standard (running steps of SOP 2.1 and 3.7)."""
    tickets = Ticket.objects.filter(queue_at__isnull=False).aggregate(
        open=Count("pk"),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        mine=Count("pk", filter=Q(assigned_to=user)),
        waiting_lkpp=Count("pk", filter=Q(status=TicketStatus.WAITING_LKPP)),
    )
    sla = StepRun.objects.filter(
        ended_at__isnull=True,
        due_at__isnull=False,
        due_at__lte=now + SLA_NEAR,
        case__procedure__code__in=(HELPDESK, UPLOAD),
        case__status=CaseStatus.OPEN,
    ).aggregate(
        over=Count("case", distinct=True, filter=Q(due_at__lte=now)),
        near=Count("case", distinct=True, filter=Q(due_at__gt=now)),
    )
    return Panel(
        "helpdesk",
        _("Helpdesk"),
        "reports/panels/helpdesk.html",
        {"tickets": tickets, "sla": sla, "sla_near_hours": int(SLA_NEAR.total_seconds() // 3600)},
    )


# --- Committee (Pokja) ----------------------------------------------------------------------


def committee_panel(user, now: datetime) -> Panel:
    """The tenders of the user's Pokja by stage, their pending schedule changes, and the
    openings that are due (the opening stage has begun and no opening finished)."""
    tenders = list(committee_tenders(user))
    by_stage = Counter(tender.stage_label(now) for tender in tenders)
    opened = set(
        Opening.objects.filter(
            tender__in=[tender.pk for tender in tenders], status=OpeningStatus.DONE
        ).values_list("tender_id", flat=True)
    )
    due = []
    for tender in tenders:
        stage = tender.stage(StageKind.BID_OPENING)
        if (
            tender.status == TenderStatus.ANNOUNCED
            and stage is not None
            and stage.starts_at <= now
            and tender.pk not in opened
        ):
            due.append((tender, stage))
    pending = sum(tender.pending_changes for tender in tenders)
    return Panel(
        "committee",
        _("Tender Pokja Anda"),
        "reports/panels/committee.html",
        {
            "by_stage": sorted(by_stage.items()),
            "tender_count": len(tenders),
            "pending_changes": pending,
            "pending_list": [tender for tender in tenders if tender.pending_changes][:LIST_SIZE],
            "openings_due": due[:LIST_SIZE],
            "openings_due_count": len(due),
        },
    )


# --- System administrator -------------------------------------------------------------------


def sysadmin_panel(user, now: datetime) -> Panel:
    """Open incidents by severity, the age of the last verified backup, each probe's status."""
    levels = dict(
        Incident.objects.filter(status=IncidentStatus.OPEN)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    verified = backup_selectors.last_verified()
    age = (now - verified.started_at).total_seconds() / 3600 if verified else None
    probes = sorted(ops_selectors.latest_runs().values(), key=lambda run: run.kind)
    return Panel(
        "sysadmin",
        _("Sistem dan cadangan"),
        "reports/panels/sysadmin.html",
        {
            "critical": levels.get(Level.CRITICAL, 0),
            "warning": levels.get(Level.WARNING, 0),
            "open_incidents": sum(levels.values()),
            "last_verified": verified,
            "backup_age_hours": age,
            "backup_too_old": age is None or age > settings.LPSE_BACKUP_MAX_AGE_HOURS,
            "backup_max_hours": settings.LPSE_BACKUP_MAX_AGE_HOURS,
            "probes": probes,
        },
    )


# --- Head -----------------------------------------------------------------------------------


def head_panel(user, now: datetime) -> Panel:
    """What waits for the head's decision, the link to the monthly summary and this month's
    SOP-3 share of steps within standard (so far)."""
    changes = ScheduleChange.objects.filter(status=ScheduleChangeStatus.PENDING).count()
    failures = FailedOpeningRequest.objects.filter(status=FailureStatus.FILED).count()
    start, _end = _this_month(now)
    share = sop_share(start, now)
    return Panel(
        "head",
        _("Kepala LPSE"),
        "reports/panels/head.html",
        {
            "pending_changes": changes,
            "filed_failures": failures,
            "sop_percent": None if share is None else share * 100,
            "month_name": Period(start.date()).name,
        },
    )


#: (role, panel function) in the order panels appear on the dashboard.
PANELS = (
    (Role.HEAD, head_panel),
    (Role.VENDOR, vendor_panel),
    (Role.VERIFIER, verifier_panel),
    (Role.HELPDESK, helpdesk_panel),
    (Role.COMMITTEE, committee_panel),
    (Role.SYSADMIN, sysadmin_panel),
)


def panels_for(user, now: datetime | None = None) -> list[Panel]:
    """The panels of the roles `user` holds (held roles only: a superuser without roles gets
    none, the work areas are linked below them)."""
    now = now or timezone.now()
    return [function(user, now) for role, function in PANELS if user.has_role(role)]


def can_read_summary(user) -> bool:
    return bool(user.is_superuser or user.has_role(*SUMMARY_ROLES))
