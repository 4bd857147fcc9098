"""The audit list as a file (RPT-1): the same events as the filtered list page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing


def _target(event) -> str:
    if event.target_type is None:
        return ""
    return f"{event.target_type.app_label}.{event.target_type.model}:{event.target_id}"


EVENTS = Listing(
    slug="jejak-audit",
    title=_("Jejak audit"),
    columns=(
        Column(_("Nomor urut"), lambda e: e.seq),
        Column(_("Waktu (WIB)"), lambda e: e.at, width=18),
        Column(_("Pelaku"), lambda e: e.actor_repr),
        Column(_("Tindakan"), lambda e: e.action, width=24),
        Column(_("Jenis dan ID objek"), _target, width=28),
        Column(_("Objek"), lambda e: e.target_repr, width=40),
        Column(_("Ringkasan"), lambda e: e.summary, width=60),
        Column(_("Alamat IP"), lambda e: e.ip),
        Column(_("Hash"), lambda e: e.hash, width=66),
    ),
)
