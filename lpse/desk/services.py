"""Writes of the helpdesk (DESK-1..4): tickets, replies, notes, assignment, ratings.

Every service is atomic, locks the ticket it changes, writes a transition row
for every status move, moves the SOP steps (see steps.py) and ends with an
audit event (AUD-1). E-mails leave after commit through the task queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from lpse.audit.services import record, snapshot
from lpse.core import calendar
from lpse.vendors.uploads import UploadRejected, store_upload

from . import steps
from .choices import (
    ACTIVE,
    Channel,
    MessageKind,
    RequesterType,
    TicketKind,
    TicketStatus,
    can_move,
)
from .models import Ticket, TicketAttachment, TicketMessage, TicketTransition, Topic
from .notify import (
    queue_reply_email,
    rating_token,
    requester_address,
    subject_line,
    ticket_from_rating_token,
)

TICKET_FIELDS = [
    "reference",
    "kind",
    "requester_type",
    "channel",
    "topic",
    "subject",
    "requester",
    "vendor",
    "requester_name",
    "requester_phone",
    "requester_email",
    "status",
    "assigned_to",
    "received_at",
    "inside_working_hours",
    "rating",
]


class DeskError(ValueError):
    """A helpdesk service refused; `message` is the text for the user, in the active language.

    `template` is the (lazy) translation and `params` fill its %(name)s placeholders, so
    the JSON API can answer the same refusal in Indonesian and English (GEN-3).
    """

    def __init__(self, message: str | Promise, params: dict[str, Any] | None = None):
        text = str(message) % params if params else str(message)
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params


# --- Helpers -----------------------------------------------------------------------------


def _lock(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _refresh(target: Ticket, source: Ticket) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def name_key(name: str) -> str:
    return " ".join((name or "").lower().split())[:200]


def requester_type_of(user) -> str:
    """The requester type of a logged-in user, from its roles (DESK-1)."""
    from lpse.accounts.choices import Role

    for role, kind in (
        (Role.VENDOR, RequesterType.VENDOR),
        (Role.AGENCY_ADMIN, RequesterType.AGENCY_ADMIN),
        (Role.PPK, RequesterType.PPK),
        (Role.COMMITTEE, RequesterType.COMMITTEE),
    ):
        if user.has_role(role):
            return kind
    return RequesterType.PUBLIC


def move(ticket: Ticket, target: str, *, by, at: datetime | None = None, note: str = ""):
    """Move a LOCKED ticket to `target`: transition row, timestamps, SOP steps. No audit here:
    the calling service records its own event last."""
    at = at or timezone.now()
    if not can_move(ticket.status, target):
        raise DeskError(
            gettext_lazy("Tiket berstatus %(current)s tidak dapat diubah menjadi %(target)s."),
            {
                "current": TicketStatus(ticket.status).label,
                "target": TicketStatus(target).label,
            },
        )
    TicketTransition.objects.create(
        ticket=ticket, from_status=ticket.status, to_status=target, at=at, by=by, note=note[:300]
    )
    previous = ticket.status
    ticket.status = target
    ticket.queue_at = ticket.received_at if target in ACTIVE else None
    ticket.last_activity_at = at
    fields = ["status", "queue_at", "last_activity_at"]
    if target == TicketStatus.ANSWERED:
        ticket.answered_at = at
        fields.append("answered_at")
        steps.answered(ticket, by=by, at=at)
    elif target == TicketStatus.CLOSED:
        ticket.closed_at = at
        fields.append("closed_at")
        steps.answered(ticket, by=by, at=at)
        steps.closed(ticket, by=by, at=at, outcome=note or gettext("Tiket ditutup."))
    elif target == TicketStatus.OPEN and previous in (TicketStatus.ANSWERED, TicketStatus.CLOSED):
        steps.follow_up(ticket, by=by, at=at)
    else:
        steps.taken_up(ticket, by=by, at=at)
    ticket.save(update_fields=fields)


def store_attachment(
    ticket: Ticket, uploaded, *, by, message: TicketMessage | None = None, internal: bool = False
) -> TicketAttachment:
    """Check and store one file like a company document (SEC-3); UploadRejected if refused."""
    stored = store_upload(uploaded)
    return TicketAttachment.objects.create(
        ticket=ticket,
        message=message,
        internal=internal,
        original_name=(getattr(uploaded, "name", "") or "lampiran")[:255],
        stored_name=stored.stored_name,
        size=stored.size,
        detected_type=stored.detected_type,
        mime_type=stored.mime_type,
        md5=stored.md5,
        sha256=stored.sha256,
        uploaded_by=by,
    )


def _attach_all(ticket, files, *, by, message, internal=False) -> list[TicketAttachment]:
    return [
        store_attachment(ticket, item, by=by, message=message, internal=internal) for item in files
    ]


# --- Creating tickets (DESK-1, DESK-2) ---------------------------------------------------


@dataclass(frozen=True)
class Requester:
    name: str
    requester_type: str
    phone: str = ""
    email: str = ""
    org: str = ""
    user: object = None
    vendor: object = None


def _create(
    *,
    requester: Requester,
    channel: str,
    topic: Topic,
    subject: str,
    question: str,
    received_at: datetime,
    ended_at: datetime | None,
    by,
    kind: str = TicketKind.GENERAL,
    assigned_to=None,
) -> Ticket:
    ticket = Ticket.objects.create(
        kind=kind,
        requester_type=requester.requester_type,
        channel=channel,
        topic=topic,
        subject=(subject.strip() or question.strip().splitlines()[0])[:200],
        question=question,
        requester=requester.user,
        vendor=requester.vendor,
        requester_name=requester.name[:200],
        search_name=name_key(requester.name),
        requester_phone=requester.phone[:30],
        requester_email=(requester.email or "").strip().lower(),
        requester_org=requester.org[:200],
        received_at=received_at,
        queue_at=received_at,
        call_ended_at=ended_at,
        inside_working_hours=calendar.is_working_time(received_at),
        last_activity_at=ended_at or received_at,
        created_by=by,
        assigned_to=assigned_to,
    )
    year = timezone.localtime(received_at).year
    ticket.reference = f"HD-{year}-{ticket.pk:06d}"
    ticket.save(update_fields=["reference"])
    TicketTransition.objects.create(
        ticket=ticket, from_status="", to_status=TicketStatus.NEW, at=received_at, by=by
    )
    steps.open_helpdesk_case(ticket, by=by, at=received_at, ended_at=ended_at)
    if kind == TicketKind.UPLOAD:
        steps.open_upload_case(ticket, by=by, at=received_at)
    return ticket


@transaction.atomic
def log_request(
    *,
    by,
    requester: Requester,
    channel: str,
    topic: Topic,
    question: str,
    answer: str = "",
    subject: str = "",
    received_at: datetime | None = None,
    ended_at: datetime | None = None,
    files=(),
    request=None,
) -> Ticket:
    """An officer records a request (Pencatatan, DESK-1): a phone call or a visit is often
    answered on the spot, so the answer can come with it; the ticket is then answered."""
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DeskError(gettext_lazy("Waktu diterima tidak boleh di masa depan."))
    if ended_at is not None and ended_at < received_at:
        raise DeskError(gettext_lazy("Waktu selesai tidak boleh sebelum waktu diterima."))
    if not question.strip():
        raise DeskError(gettext_lazy("Pertanyaan wajib diisi."))
    ticket = _create(
        requester=requester,
        channel=channel,
        topic=topic,
        subject=subject,
        question=question.strip(),
        received_at=received_at,
        ended_at=ended_at,
        by=by,
        assigned_to=by,
    )
    TicketMessage.objects.create(
        ticket=ticket,
        kind=MessageKind.REQUESTER,
        body=question.strip(),
        author=requester.user,
        author_name=requester.name,
        created_at=received_at,
    )
    _attach_all(ticket, files, by=by, message=None, internal=False)
    if answer.strip():
        at = ended_at or now
        reply_message = TicketMessage.objects.create(
            ticket=ticket, kind=MessageKind.REPLY, body=answer.strip(), author=by, created_at=at
        )
        move(ticket, TicketStatus.ANSWERED, by=by, at=at, note=gettext("Dijawab saat dicatat."))
        queue_reply_email(ticket, reply_message)
    record(
        "desk.ticket_log",
        actor=by,
        target=ticket,
        after=snapshot(ticket, TICKET_FIELDS),
        summary=f"Tiket {ticket.reference} dicatat ({ticket.get_channel_display()})",
        request=request,
    )
    return ticket


@transaction.atomic
def file_ticket(
    *,
    by,
    topic: Topic,
    subject: str,
    question: str,
    files=(),
    kind: str = TicketKind.GENERAL,
    request=None,
) -> Ticket:
    """A logged-in vendor or staff member files a ticket on the web (DESK-2)."""
    from lpse.vendors.company_selectors import vendor_of

    if not question.strip():
        raise DeskError(gettext_lazy("Pertanyaan wajib diisi."))
    vendor = vendor_of(by)
    if kind == TicketKind.UPLOAD and vendor is None:
        raise DeskError(gettext_lazy("Laporan gagal unggah hanya untuk akun penyedia."))
    requester = Requester(
        name=by.get_full_name() or (vendor.name if vendor else by.username),
        requester_type=requester_type_of(by),
        email=by.email or (vendor.email if vendor else ""),
        phone=by.phone or (vendor.phone if vendor else ""),
        org=vendor.name if vendor else (by.work_unit.name if by.work_unit_id else ""),
        user=by,
        vendor=vendor,
    )
    now = timezone.now()
    ticket = _create(
        requester=requester,
        channel=Channel.WEB,
        topic=topic,
        subject=subject,
        question=question.strip(),
        received_at=now,
        ended_at=None,
        by=by,
        kind=kind,
    )
    message = TicketMessage.objects.create(
        ticket=ticket, kind=MessageKind.REQUESTER, body=question.strip(), author=by, created_at=now
    )
    _attach_all(ticket, files, by=by, message=message)
    record(
        "desk.ticket_file",
        actor=by,
        target=ticket,
        after=snapshot(ticket, TICKET_FIELDS),
        summary=f"Tiket {ticket.reference} diajukan lewat web: {ticket.subject}"[:500],
        request=request,
    )
    return ticket


# --- Working a ticket (DESK-2) -----------------------------------------------------------


@transaction.atomic
def assign(ticket: Ticket, officer, *, by, request=None) -> Ticket:
    locked = _lock(ticket)
    if locked.status == TicketStatus.CLOSED:
        raise DeskError(gettext_lazy("Tiket yang sudah ditutup tidak dapat ditugaskan."))
    before = snapshot(locked, ["assigned_to", "status"])
    locked.assigned_to = officer
    locked.last_activity_at = timezone.now()
    locked.save(update_fields=["assigned_to", "last_activity_at"])
    if locked.status == TicketStatus.NEW:
        move(locked, TicketStatus.OPEN, by=by, note=gettext("Ditugaskan."))
    record(
        "desk.ticket_assign",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, ["assigned_to", "status"]),
        summary=f"Tiket {locked.reference} ditugaskan kepada {officer.username}",
        request=request,
    )
    _refresh(ticket, locked)
    return ticket


@transaction.atomic
def reply(
    ticket: Ticket,
    body: str,
    *,
    by,
    status: str = TicketStatus.ANSWERED,
    files=(),
    request=None,
) -> TicketMessage:
    """The officer's answer (or question back) to the requester, e-mailed when possible."""
    body = (body or "").strip()
    if not body:
        raise DeskError(gettext_lazy("Isi jawaban wajib diisi."))
    if status not in (TicketStatus.ANSWERED, TicketStatus.WAITING_REQUESTER):
        raise DeskError(gettext_lazy("Status sesudah menjawab tidak dikenal."))
    locked = _lock(ticket)
    before = snapshot(locked, ["status", "assigned_to"])
    now = timezone.now()
    message = TicketMessage.objects.create(
        ticket=locked, kind=MessageKind.REPLY, body=body, author=by, created_at=now
    )
    _attach_all(locked, files, by=by, message=message)
    if locked.assigned_to_id is None:
        locked.assigned_to = by
        locked.save(update_fields=["assigned_to"])
    if locked.status != status:
        move(locked, status, by=by, at=now)
    queue_reply_email(locked, message)
    record(
        "desk.ticket_reply",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, ["status", "assigned_to"]) | {"message": message.pk},
        summary=f"Tiket {locked.reference} dijawab",
        request=request,
    )
    _refresh(ticket, locked)
    return message


@transaction.atomic
def add_note(ticket: Ticket, body: str, *, by, files=(), request=None) -> TicketMessage:
    """An internal note: officers only, never shown or sent to the requester."""
    body = (body or "").strip()
    if not body:
        raise DeskError(gettext_lazy("Isi catatan wajib diisi."))
    locked = _lock(ticket)
    message = TicketMessage.objects.create(
        ticket=locked, kind=MessageKind.NOTE, body=body, author=by
    )
    _attach_all(locked, files, by=by, message=message, internal=True)
    record(
        "desk.ticket_note",
        actor=by,
        target=locked,
        after={"message": message.pk, "attachments": len(files)},
        summary=f"Catatan internal pada tiket {locked.reference}",
        request=request,
    )
    return message


@transaction.atomic
def change_status(ticket: Ticket, target: str, *, by, note: str = "", request=None) -> Ticket:
    """An officer moves a ticket (take up, wait on the requester, close, reopen)."""
    if target == TicketStatus.WAITING_LKPP:
        raise DeskError(gettext_lazy("Gunakan formulir eskalasi untuk meneruskan tiket ke LKPP."))
    if target == TicketStatus.ANSWERED:
        raise DeskError(gettext_lazy("Tiket dijawab dengan mengirim jawaban."))
    if target == TicketStatus.CLOSED and not note.strip():
        note = gettext("Ditutup oleh petugas.")
    locked = _lock(ticket)
    before = snapshot(locked, ["status"])
    move(locked, target, by=by, note=note)
    record(
        "desk.ticket_status",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, ["status"]),
        summary=f"Tiket {locked.reference}: {TicketStatus(target).label}",
        request=request,
    )
    _refresh(ticket, locked)
    return ticket


@transaction.atomic
def requester_message(
    ticket: Ticket,
    body: str,
    *,
    by=None,
    author_name: str = "",
    email_message_id: str = "",
    files=(),
    request=None,
) -> TicketMessage:
    """The requester writes again (web or e-mail): the ticket goes back to the officers."""
    body = (body or "").strip()
    if not body and not files:
        raise DeskError(gettext_lazy("Isi pesan wajib diisi."))
    locked = _lock(ticket)
    before = snapshot(locked, ["status"])
    now = timezone.now()
    message = TicketMessage.objects.create(
        ticket=locked,
        kind=MessageKind.REQUESTER,
        body=body or gettext("(hanya lampiran)"),
        author=by,
        author_name=author_name or (by.get_full_name() if by else "") or locked.requester_name,
        created_at=now,
        email_message_id=email_message_id[:255],
    )
    _attach_all(locked, files, by=by, message=message)
    if locked.status in (
        TicketStatus.WAITING_REQUESTER,
        TicketStatus.ANSWERED,
        TicketStatus.CLOSED,
    ):
        move(locked, TicketStatus.OPEN, by=by, at=now, note=gettext("Pesan baru dari penanya."))
    else:
        locked.last_activity_at = now
        locked.save(update_fields=["last_activity_at"])
    record(
        "desk.ticket_requester_message",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, ["status"]) | {"message": message.pk},
        summary=f"Pesan penanya pada tiket {locked.reference}",
        request=request,
    )
    _refresh(ticket, locked)
    return message


@transaction.atomic
def rate(ticket: Ticket, rating: int, comment: str = "", *, by=None, request=None) -> Ticket:
    """The requester rates the answer, once (DESK-4)."""
    if rating not in range(1, 6):
        raise DeskError(gettext_lazy("Penilaian harus 1 sampai 5."))
    locked = _lock(ticket)
    if locked.rating is not None:
        raise DeskError(gettext_lazy("Jawaban tiket ini sudah dinilai. Terima kasih."))
    if not locked.can_be_rated:
        raise DeskError(gettext_lazy("Tiket ini belum dijawab, jadi belum dapat dinilai."))
    locked.rating = rating
    locked.rating_comment = (comment or "").strip()[:2000]
    locked.rated_at = timezone.now()
    locked.save(update_fields=["rating", "rating_comment", "rated_at"])
    record(
        "desk.ticket_rate",
        actor=by,
        target=locked,
        after={"rating": rating, "comment": locked.rating_comment},
        summary=f"Tiket {locked.reference} dinilai {rating}/5",
        request=request,
    )
    _refresh(ticket, locked)
    return ticket


__all__ = [
    "DeskError",
    "Requester",
    "UploadRejected",
    "add_note",
    "assign",
    "change_status",
    "file_ticket",
    "log_request",
    "queue_reply_email",
    "rate",
    "rating_token",
    "reply",
    "requester_address",
    "requester_message",
    "subject_line",
    "ticket_from_rating_token",
]


@transaction.atomic
def email_ticket(
    *,
    sender_name: str,
    sender_email: str,
    subject: str,
    body: str,
    topic: Topic,
    email_message_id: str,
    received_at: datetime | None = None,
    files=(),
) -> Ticket:
    """A new ticket from an e-mail to the helpdesk address (DESK-2); acknowledged by e-mail
    with its reference, so that replies find it."""
    from lpse.accounts.models import User
    from lpse.vendors.company_selectors import vendor_of

    sender_email = sender_email.strip().lower()
    user = User.objects.filter(email__iexact=sender_email, is_active=True).order_by("pk").first()
    vendor = vendor_of(user) if user else None
    requester = Requester(
        name=sender_name or (user.get_full_name() if user else "") or sender_email,
        requester_type=requester_type_of(user) if user else RequesterType.PUBLIC,
        email=sender_email,
        org=vendor.name if vendor else "",
        user=user,
        vendor=vendor,
    )
    received_at = received_at or timezone.now()
    ticket = _create(
        requester=requester,
        channel=Channel.EMAIL,
        topic=topic,
        subject=subject or gettext("(tanpa perihal)"),
        question=body or gettext("(hanya lampiran)"),
        received_at=received_at,
        ended_at=None,
        by=None,
    )
    message = TicketMessage.objects.create(
        ticket=ticket,
        kind=MessageKind.REQUESTER,
        body=ticket.question,
        author=user,
        author_name=requester.name,
        created_at=received_at,
        email_message_id=email_message_id[:255],
    )
    _attach_all(ticket, files, by=user, message=message)
    context = {"ticket": ticket, "LPSE_NAME": settings.LPSE_NAME, "site_url": settings.SITE_URL}
    text = render_to_string("desk/email/received_body.txt", context)
    from .tasks import send_desk_email

    transaction.on_commit(lambda: send_desk_email(subject_line(ticket), text, sender_email, ""))
    record(
        "desk.ticket_email",
        actor=None,
        target=ticket,
        after=snapshot(ticket, TICKET_FIELDS),
        summary=f"Tiket {ticket.reference} dari e-mail {sender_email}"[:500],
    )
    return ticket
