"""LKPP escalation (DESK-3, Pasal 9(3)) and the upload-failure outcomes of SOP 3.7 (ERR-4)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from lpse.audit.services import record, snapshot

from . import steps
from .choices import (
    EscalationReason,
    EscalationStatus,
    MessageKind,
    TicketKind,
    TicketStatus,
    UploadResolution,
)
from .models import Escalation, Ticket, TicketMessage
from .notify import queue_reply_email
from .services import DeskError, _lock, _refresh, move

ESCALATION_FIELDS = ["ticket", "reason", "lkpp_reference", "status", "sent_at", "answered_at"]
DIAGNOSTIC_ATTEMPTS = 10


def diagnostics_text(vendor, limit: int = DIAGNOSTIC_ATTEMPTS) -> str:
    """The vendor's recent upload attempts as plain text, to attach to an escalation (ERR-4)."""
    from lpse.vendors.company_selectors import upload_attempts

    lines = []
    for attempt in upload_attempts(vendor)[:limit]:
        local = timezone.localtime(attempt.attempted_at)
        lines.append(
            f"{local:%Y-%m-%d %H:%M:%S} WIB | {attempt.get_section_display()} | "
            f"{attempt.original_name or '-'} | dinyatakan {attempt.declared_size or '-'} bita, "
            f"diterima {attempt.bytes_received} bita | jenis {attempt.detected_type or '-'} | "
            f"{attempt.get_outcome_display()} {attempt.error_code} {attempt.error_message} | "
            f"{attempt.user_agent or '-'}"
        )
    if not lines:
        return gettext("Tidak ada catatan percobaan unggah.")
    return "\n".join(lines)


@transaction.atomic
def escalate(
    ticket: Ticket,
    *,
    by,
    reason: str,
    sent_summary: str,
    lkpp_reference: str,
    attach_diagnostics: bool = True,
    request=None,
) -> Escalation:
    """Record that the problem was sent to LKPP; the ticket waits on LKPP (clock paused)."""
    if reason not in EscalationReason.values:
        raise DeskError(gettext_lazy("Pilih alasan eskalasi."))
    if not sent_summary.strip():
        raise DeskError(gettext_lazy("Isi yang dikirim ke LKPP wajib diisi."))
    if not lkpp_reference.strip():
        raise DeskError(gettext_lazy("Nomor tiket LKPP wajib diisi."))
    locked = _lock(ticket)
    if locked.escalations.filter(status=EscalationStatus.WAITING).exists():
        raise DeskError(
            gettext_lazy("Tiket ini masih menunggu jawaban LKPP atas eskalasi sebelumnya.")
        )
    now = timezone.now()
    diagnostics = ""
    if attach_diagnostics and locked.vendor_id:
        diagnostics = diagnostics_text(locked.vendor)
    move(locked, TicketStatus.WAITING_LKPP, by=by, at=now, note=gettext("Diteruskan ke LKPP."))
    escalation = Escalation.objects.create(
        ticket=locked,
        reason=reason,
        sent_summary=sent_summary.strip(),
        diagnostics=diagnostics,
        lkpp_reference=lkpp_reference.strip()[:100],
        sent_at=now,
        sent_by=by,
    )
    if locked.kind == TicketKind.UPLOAD:
        case = steps.open_case_of(locked, steps.UPLOAD)
        steps.finish(case, 2, by=by, at=now, note=gettext("Uji forensik LPSE tidak berhasil."))
        steps.start(case, 4, by=by, at=now)
        locked.upload_resolution = UploadResolution.ESCALATED
        locked.save(update_fields=["upload_resolution"])
    record(
        "desk.escalate",
        actor=by,
        target=escalation,
        after=snapshot(escalation, ESCALATION_FIELDS) | {"diagnostics": bool(diagnostics)},
        summary=f"Tiket {locked.reference} diteruskan ke LKPP ({escalation.lkpp_reference})",
        request=request,
    )
    _refresh(ticket, locked)
    return escalation


@transaction.atomic
def record_lkpp_answer(
    escalation: Escalation, *, by, answer: str, reply_to_requester: str = "", request=None
) -> Escalation:
    """LKPP answered: keep its answer, and close the loop to the requester with a reply."""
    answer = (answer or "").strip()
    if not answer:
        raise DeskError(gettext_lazy("Jawaban LKPP wajib diisi."))
    locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if locked.status != EscalationStatus.WAITING:
        raise DeskError(gettext_lazy("Jawaban LKPP untuk eskalasi ini sudah dicatat."))
    ticket = _lock(locked.ticket)
    now = timezone.now()
    before = snapshot(locked, ESCALATION_FIELDS)
    locked.status = EscalationStatus.ANSWERED
    locked.answered_at = now
    locked.answer = answer
    locked.recorded_by = by
    locked.save(update_fields=["status", "answered_at", "answer", "recorded_by"])
    TicketMessage.objects.create(
        ticket=ticket, kind=MessageKind.LKPP, body=answer, author=by, author_name="LKPP"
    )
    if ticket.kind == TicketKind.UPLOAD:
        steps.finish(steps.open_case_of(ticket, steps.UPLOAD), 4, by=by, at=now)
    text = (reply_to_requester or "").strip() or answer
    message = TicketMessage.objects.create(
        ticket=ticket, kind=MessageKind.REPLY, body=text, author=by, created_at=now
    )
    if ticket.status == TicketStatus.WAITING_LKPP:
        move(ticket, TicketStatus.ANSWERED, by=by, at=now, note=gettext("Jawaban LKPP diteruskan."))
    queue_reply_email(ticket, message)
    record(
        "desk.lkpp_answer",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, ESCALATION_FIELDS),
        summary=f"Jawaban LKPP untuk tiket {ticket.reference} dicatat dan diteruskan",
        request=request,
    )
    return locked


@transaction.atomic
def advise_retry(ticket: Ticket, explanation: str, *, by, request=None) -> TicketMessage:
    """SOP 3.7 step 3: the diagnosis found nothing wrong; the vendor is told to retry (ERR-4)."""
    explanation = (explanation or "").strip()
    if not explanation:
        raise DeskError(gettext_lazy("Penjelasan kepada penyedia wajib diisi."))
    locked = _lock(ticket)
    if locked.kind != TicketKind.UPLOAD:
        raise DeskError(gettext_lazy("Hanya untuk tiket gagal unggah data penyedia."))
    now = timezone.now()
    case = steps.open_case_of(locked, steps.UPLOAD)
    steps.finish(case, 2, by=by, at=now, note=gettext("Tidak ada masalah pada unggahan."))
    steps.start(case, 3, by=by, at=now)
    message = TicketMessage.objects.create(
        ticket=locked, kind=MessageKind.REPLY, body=explanation, author=by, created_at=now
    )
    locked.upload_resolution = UploadResolution.RETRY
    locked.save(update_fields=["upload_resolution"])
    if locked.status != TicketStatus.ANSWERED:
        move(
            locked,
            TicketStatus.ANSWERED,
            by=by,
            at=now,
            note=gettext("Penyedia diminta mencoba lagi."),
        )
    queue_reply_email(locked, message)
    steps.finish(case, 3, by=by, at=timezone.now())
    record(
        "desk.upload_retry",
        actor=by,
        target=locked,
        after={"upload_resolution": UploadResolution.RETRY, "message": message.pk},
        summary=f"Tiket {locked.reference}: penyedia diminta mengunggah ulang",
        request=request,
    )
    _refresh(ticket, locked)
    return message
