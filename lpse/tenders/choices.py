"""Tender kinds, statuses, schedule stages and the moves allowed (BID-1, BID-6, ERR-3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GOODS = "goods", _("Pengadaan Barang")
    CONSTRUCTION = "construction", _("Pekerjaan Konstruksi")
    CONSULTANCY = "consultancy", _("Jasa Konsultansi")
    OTHER_SERVICES = "other_services", _("Jasa Lainnya")


class Method(models.TextChoices):
    TENDER = "tender", _("Tender")
    QUICK_TENDER = "quick_tender", _("Tender Cepat")
    SELECTION = "selection", _("Seleksi")
    DIRECT_PROCUREMENT = "direct_procurement", _("Pengadaan Langsung")
    DIRECT_APPOINTMENT = "direct_appointment", _("Penunjukan Langsung")

    @property
    def is_tender(self) -> bool:
        """Tender, quick tender and selection are "tender" in SPSE terms; others "non-tender"."""
        return self in TENDER_KIND_METHODS


TENDER_KIND_METHODS = frozenset({Method.TENDER, Method.QUICK_TENDER, Method.SELECTION})


def method_is_tender(method: str) -> bool:
    return method in TENDER_KIND_METHODS


#: Methods whose stages may overlap (no stage starts before the one before it, but a stage
#: may start before the one before it ends). A quick tender runs its stages in parallel
#: windows; direct procurement/appointment negotiate while documents are still out.
OVERLAP_ALLOWED_METHODS = frozenset(
    {Method.QUICK_TENDER, Method.DIRECT_PROCUREMENT, Method.DIRECT_APPOINTMENT}
)


class Qualification(models.TextChoices):
    PRE = "pre", _("Prakualifikasi")
    POST = "post", _("Pascakualifikasi")


class TenderStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ANNOUNCED = "announced", _("Diumumkan")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Batal")


#: status -> the statuses a tender may move to from it.
TENDER_TRANSITIONS: dict[str, frozenset[str]] = {
    TenderStatus.DRAFT: frozenset({TenderStatus.ANNOUNCED, TenderStatus.CANCELLED}),
    TenderStatus.ANNOUNCED: frozenset({TenderStatus.CLOSED, TenderStatus.CANCELLED}),
    TenderStatus.CLOSED: frozenset(),
    TenderStatus.CANCELLED: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return new in TENDER_TRANSITIONS.get(current, frozenset())


class StageKind(models.TextChoices):
    """The schedule's stages, declared in schedule order."""

    ANNOUNCEMENT = "announcement", _("Pengumuman")
    DOWNLOAD = "download", _("Download Dokumen Pemilihan")
    CLARIFICATION = "clarification", _("Pemberian Penjelasan")
    BID_UPLOAD = "bid_upload", _("Upload Dokumen Penawaran")
    BID_OPENING = "bid_opening", _("Pembukaan Dokumen Penawaran")
    EVALUATION = "evaluation", _("Evaluasi Penawaran")
    WINNER_ANNOUNCEMENT = "winner_announcement", _("Pengumuman Pemenang")
    OBJECTION = "objection", _("Masa Sanggah")
    CONTRACT = "contract", _("Penandatanganan Kontrak")


#: Stage kinds in schedule order, and each kind's position (0-based).
StageKind.ORDER = [kind.value for kind in StageKind]  # type: ignore[attr-defined]
STAGE_POSITION: dict[str, int] = {kind: i for i, kind in enumerate(StageKind.ORDER)}  # type: ignore[attr-defined]


class DocumentKind(models.TextChoices):
    TENDER_DOCUMENT = "tender_document", _("Dokumen Pemilihan")
    ADDENDUM = "addendum", _("Adendum")


class ScheduleChangeStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui dan diterapkan")
    REFUSED = "refused", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik")


SCHEDULE_CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ScheduleChangeStatus.PENDING: frozenset(
        {
            ScheduleChangeStatus.APPROVED,
            ScheduleChangeStatus.REFUSED,
            ScheduleChangeStatus.WITHDRAWN,
        }
    ),
    ScheduleChangeStatus.APPROVED: frozenset(),
    ScheduleChangeStatus.REFUSED: frozenset(),
    ScheduleChangeStatus.WITHDRAWN: frozenset(),
}


def can_move_change(current: str, new: str) -> bool:
    return new in SCHEDULE_CHANGE_TRANSITIONS.get(current, frozenset())


class EvaluationOutcome(models.TextChoices):
    PASSED = "passed", _("Lulus")
    FAILED = "failed", _("Gugur")


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Pengumuman")
    ADDENDUM = "addendum", _("Adendum")
    WINNER = "winner", _("Pengumuman Pemenang")
    SCHEDULE_CHANGE = "schedule_change", _("Perubahan Jadwal")
    CLOSED = "closed", _("Tender Selesai")


class TransitionKind(models.TextChoices):
    """What a transition row records (the history of a tender, STYLE 4)."""

    STATUS = "status", _("Status tender")
    SCHEDULE_CHANGE = "schedule_change", _("Perubahan jadwal")
    PARTICIPANT = "participant", _("Peserta")
    EVALUATION = "evaluation", _("Evaluasi")
    WINNER = "winner", _("Pemenang")
    QUESTION = "question", _("Pertanyaan")
    OBJECTION = "objection", _("Sanggah")
    DOCUMENT = "document", _("Dokumen")
    PACT = "pact", _("Pakta Integritas")
    MEMBER = "member", _("Anggota Pokja")
