"""The helpdesk queue as a file (RPT-1): the tickets of the filtered queue, every page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing, label_of

from .choices import Channel, RequesterType, TicketKind, TicketStatus


def _officer(ticket) -> str:
    return ticket.assigned_to.username if ticket.assigned_to_id else ""


TICKETS = Listing(
    slug="tiket-helpdesk",
    title=_("Antrean helpdesk"),
    columns=(
        Column(_("Nomor"), lambda t: t.reference, width=16),
        Column(_("Diterima (WIB)"), lambda t: t.received_at, width=18),
        Column(_("Jenis"), label_of("kind", TicketKind.choices), width=24),
        Column(_("Penanya"), lambda t: t.requester_name, width=28),
        Column(_("Jenis penanya"), label_of("requester_type", RequesterType.choices), width=20),
        Column(_("E-mail penanya"), lambda t: t.requester_email, width=28),
        Column(_("Telepon penanya"), lambda t: t.requester_phone, width=16),
        Column(_("Instansi/perusahaan"), lambda t: t.requester_org, width=28),
        Column(_("Perihal"), lambda t: t.subject, width=40),
        Column(_("Topik"), lambda t: t.topic.name, width=24),
        Column(_("Saluran"), label_of("channel", Channel.choices), width=14),
        Column(_("Status"), label_of("status", TicketStatus.choices), width=18),
        Column(_("Petugas"), _officer, width=16),
        Column(_("Ditutup (WIB)"), lambda t: t.closed_at, width=18),
        Column(_("Penilaian"), lambda t: t.rating),
    ),
)
