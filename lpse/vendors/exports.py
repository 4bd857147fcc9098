"""The verification desk's vendor list as a file (RPT-1): the rows of the filtered page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing

VENDORS = Listing(
    slug="penyedia",
    title=_("Daftar penyedia"),
    columns=(
        Column(_("Nomor pendaftaran"), lambda v: v.registration_number, width=18),
        Column(_("Nama perusahaan"), lambda v: v.name, width=36),
        Column(_("Bentuk usaha"), lambda v: v.get_legal_form_display(), width=24),
        Column(_("NPWP"), lambda v: v.tax_id, width=18),
        Column(_("NIB"), lambda v: v.business_id, width=16),
        Column(_("Kabupaten/kota"), lambda v: v.city, width=20),
        Column(_("E-mail perusahaan"), lambda v: v.email, width=28),
        Column(_("Telepon"), lambda v: v.phone, width=16),
        Column(_("User ID"), lambda v: v.user.username, width=16),
        Column(_("Status"), lambda v: v.get_status_display(), width=20),
        Column(_("Didaftarkan (WIB)"), lambda v: v.registered_at, width=18),
        Column(_("Batas verifikasi (WIB)"), lambda v: v.verification_deadline, width=18),
        Column(_("Diverifikasi (WIB)"), lambda v: v.verified_at, width=18),
    ),
)
