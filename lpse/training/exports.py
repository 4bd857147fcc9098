"""The training request list as a file (RPT-1): the requests of the filtered list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing, label_of

from .choices import Audience, RequestStatus


def _session(training):
    return getattr(training, "session", None)


def _starts(training):
    session = _session(training)
    return session.starts_at if session else None


def _room(training) -> str:
    session = _session(training)
    return session.room.name if session else ""


def _trainer(training) -> str:
    session = _session(training)
    if not session or not session.trainer_id:
        return ""
    return session.trainer.get_full_name() or session.trainer.username


TRAININGS = Listing(
    slug="pelatihan",
    title=_("Permohonan pelatihan"),
    columns=(
        Column(_("Diajukan (WIB)"), lambda t: t.requested_at, width=18),
        Column(_("Satuan kerja"), lambda t: t.work_unit.name, width=32),
        Column(_("Nomor surat permohonan"), lambda t: t.letter_number, width=24),
        Column(_("Peserta"), label_of("audience", Audience.choices), width=28),
        Column(_("Jumlah peserta"), lambda t: t.participant_count),
        Column(_("Tanggal diinginkan"), lambda t: t.wanted_date),
        Column(_("Narahubung"), lambda t: t.contact_name, width=24),
        Column(_("Telepon narahubung"), lambda t: t.contact_phone, width=16),
        Column(_("E-mail narahubung"), lambda t: t.contact_email, width=28),
        Column(_("Jadwal (WIB)"), _starts, width=18),
        Column(_("Ruang"), _room, width=20),
        Column(_("Pelatih"), _trainer, width=20),
        Column(_("Jumlah hadir"), lambda t: t.attended_count),
        Column(_("Status"), label_of("status", RequestStatus.choices), width=22),
    ),
)
