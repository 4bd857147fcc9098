"""Tender lists as files (RPT-1): the public list, the Pokja's own list, schedule changes.

Each holds the rows of the filtered page (every page), read with the page's
selector; the stage is derived from the clock at the moment of the export (WIB).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing, label_of

from .choices import Category, Method, ScheduleChangeStatus, TenderStatus


def _stage(tender) -> str:
    return tender.stage_label(timezone.now())


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


_TENDER_COLUMNS = (
    Column(_("Kode"), lambda t: t.code, width=14),
    Column(_("Nama paket"), lambda t: t.name, width=48),
    Column(_("Tahun anggaran"), lambda t: t.budget_year),
    Column(_("Satuan kerja"), lambda t: t.work_unit.name, width=32),
    Column(_("Jenis pengadaan"), label_of("category", Category.choices), width=22),
    Column(_("Metode"), label_of("method", Method.choices), width=22),
    Column(_("HPS (Rp)"), lambda t: t.hps, width=18),
    Column(_("Tahap saat ini"), _stage, width=30),
    Column(_("Peserta"), lambda t: t.participant_count),
)

PUBLIC_TENDERS = Listing(
    slug="tender",
    title=_("Daftar tender"),
    personal=False,
    columns=_TENDER_COLUMNS,
)

COMMITTEE_TENDERS = Listing(
    slug="tender-pokja",
    title=_("Tender Pokja saya"),
    personal=False,
    columns=(
        *_TENDER_COLUMNS,
        Column(_("Status"), label_of("status", TenderStatus.choices)),
        Column(_("PPK"), lambda t: _person(t.ppk), width=24),
        Column(_("Dibuat (WIB)"), lambda t: t.created_at, width=18),
        Column(_("Perubahan jadwal menunggu"), lambda t: t.pending_changes),
    ),
)

SCHEDULE_CHANGES = Listing(
    slug="perubahan-jadwal",
    title=_("Permohonan perubahan jadwal"),
    columns=(
        Column(_("Nomor"), lambda c: c.pk),
        Column(_("Kode tender"), lambda c: c.tender.code, width=14),
        Column(_("Nama paket"), lambda c: c.tender.name, width=40),
        Column(_("Satuan kerja"), lambda c: c.tender.work_unit.name, width=30),
        Column(_("Diajukan (WIB)"), lambda c: c.requested_at, width=18),
        Column(_("Pemohon"), lambda c: _person(c.requested_by), width=24),
        Column(_("Alasan"), lambda c: c.reason, width=60),
        Column(_("Status"), label_of("status", ScheduleChangeStatus.choices), width=24),
        Column(_("Diputuskan oleh"), lambda c: _person(c.decided_by), width=24),
        Column(_("Diputuskan (WIB)"), lambda c: c.decided_at, width=18),
        Column(_("Catatan keputusan"), lambda c: c.decision_note, width=40),
    ),
)
