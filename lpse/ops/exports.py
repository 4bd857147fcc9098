"""The incident list as a file (RPT-1): the incidents of the filtered list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing, label_of

from .choices import IncidentStatus, Level


def _handler(incident) -> str:
    return incident.acknowledged_by.username if incident.acknowledged_by_id else ""


INCIDENTS = Listing(
    slug="insiden",
    title=_("Insiden"),
    personal=False,
    columns=(
        Column(_("Nomor"), lambda i: i.pk),
        Column(_("Insiden"), lambda i: i.title, width=48),
        Column(_("Tingkat tertinggi"), label_of("peak_level", Level.choices), width=16),
        Column(_("Tingkat terakhir"), label_of("level", Level.choices), width=16),
        Column(_("Status"), label_of("status", IncidentStatus.choices)),
        Column(_("Dibuka (WIB)"), lambda i: i.opened_at, width=18),
        Column(_("Ditutup (WIB)"), lambda i: i.closed_at, width=18),
        Column(_("Nilai terakhir"), lambda i: i.value),
        Column(_("Pengingat"), lambda i: i.reminders_sent),
        Column(_("Ditangani oleh"), _handler, width=16),
        Column(_("Catatan penanganan"), lambda i: i.acknowledgement, width=40),
    ),
)
