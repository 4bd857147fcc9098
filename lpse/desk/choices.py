"""Statuses and kinds of the helpdesk (DESK-1..4, ERR-4), with the allowed moves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequesterType(models.TextChoices):
    """Who asks (Lampiran II 2.1: Rekanan, Admin Agency, PPK, Panitia; DESK-1 adds the public)."""

    VENDOR = "vendor", _("Penyedia (rekanan)")
    AGENCY_ADMIN = "agency_admin", _("Admin Agency")
    PPK = "ppk", _("PPK")
    COMMITTEE = "committee", _("Panitia/Pokja")
    PUBLIC = "public", _("Masyarakat umum")


class Channel(models.TextChoices):
    PHONE = "phone", _("Telepon")
    WALK_IN = "walk_in", _("Datang langsung")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Formulir web")


class TicketKind(models.TextChoices):
    GENERAL = "general", _("Pertanyaan/konsultasi/keluhan")
    UPLOAD = "upload", _("Gagal unggah data penyedia")


class TicketStatus(models.TextChoices):
    NEW = "new", _("Baru")
    OPEN = "open", _("Sedang ditangani")
    WAITING_REQUESTER = "waiting_requester", _("Menunggu penanya")
    WAITING_LKPP = "waiting_lkpp", _("Menunggu LKPP")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Ditutup")


#: Allowed moves (STYLE practice 5). Every move writes a TicketTransition row.
TRANSITIONS: dict[str, frozenset[str]] = {
    TicketStatus.NEW: frozenset(
        {
            TicketStatus.OPEN,
            TicketStatus.WAITING_REQUESTER,
            TicketStatus.WAITING_LKPP,
            TicketStatus.ANSWERED,
            TicketStatus.CLOSED,
        }
    ),
    TicketStatus.OPEN: frozenset(
        {
            TicketStatus.WAITING_REQUESTER,
            TicketStatus.WAITING_LKPP,
            TicketStatus.ANSWERED,
            TicketStatus.CLOSED,
        }
    ),
    TicketStatus.WAITING_REQUESTER: frozenset(
        {TicketStatus.OPEN, TicketStatus.ANSWERED, TicketStatus.CLOSED}
    ),
    TicketStatus.WAITING_LKPP: frozenset(
        {TicketStatus.OPEN, TicketStatus.ANSWERED, TicketStatus.CLOSED}
    ),
    # An answer may be an interim one ("we are asking LKPP"): the ticket can still go to LKPP.
    TicketStatus.ANSWERED: frozenset(
        {TicketStatus.OPEN, TicketStatus.WAITING_LKPP, TicketStatus.CLOSED}
    ),
    TicketStatus.CLOSED: frozenset({TicketStatus.OPEN}),
}

#: The LPSE's service-level clock runs only in these statuses (DESK-3): it pauses while
#: the ticket waits on LKPP or on the requester, and stops once answered or closed.
CLOCK_RUNNING = frozenset({TicketStatus.NEW, TicketStatus.OPEN})
CLOCK_PAUSED = frozenset({TicketStatus.WAITING_REQUESTER, TicketStatus.WAITING_LKPP})
#: Statuses of the officers' default queue.
ACTIVE = (
    TicketStatus.NEW,
    TicketStatus.OPEN,
    TicketStatus.WAITING_REQUESTER,
    TicketStatus.WAITING_LKPP,
)


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class MessageKind(models.TextChoices):
    REQUESTER = "requester", _("Dari penanya")
    REPLY = "reply", _("Jawaban helpdesk")
    NOTE = "note", _("Catatan internal")
    LKPP = "lkpp", _("Jawaban LKPP")


class EscalationReason(models.TextChoices):
    """Pasal 9(3) a and b."""

    CANNOT_SOLVE = "cannot_solve", _("Permasalahan SPSE yang tidak dapat diselesaikan LPSE")
    NOT_COVERED = "not_covered", _("Permasalahan yang belum tercakup dalam aplikasi SPSE")


class EscalationStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu jawaban LKPP")
    ANSWERED = "answered", _("Dijawab LKPP")


class UploadResolution(models.TextChoices):
    """Outcomes of SOP 3.7 (ERR-4)."""

    RETRY = "retry", _("Tidak ada masalah: penyedia diminta mencoba lagi")
    ESCALATED = "escalated", _("Diteruskan ke LKPP untuk uji forensik")


class GrantScope(models.TextChoices):
    READ = "read", _("Hanya melihat")
    UPLOAD = "upload", _("Melihat dan mencoba unggah dokumen")
