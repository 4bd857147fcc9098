"""Vendor lists as files (RPT-1): the verification desk's list and the e-mail changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import Column, Listing, label_of

from .choices import LegalForm, VendorStatus
from .company import EmailChangeStatus

VENDORS = Listing(
    slug="penyedia",
    title=_("Daftar penyedia"),
    columns=(
        Column(_("Nomor pendaftaran"), lambda v: v.registration_number, width=18),
        Column(_("Nama perusahaan"), lambda v: v.name, width=36),
        Column(_("Bentuk usaha"), label_of("legal_form", LegalForm.choices), width=24),
        Column(_("NPWP"), lambda v: v.tax_id, width=18),
        Column(_("NIB"), lambda v: v.business_id, width=16),
        Column(_("Kabupaten/kota"), lambda v: v.city, width=20),
        Column(_("E-mail perusahaan"), lambda v: v.email, width=28),
        Column(_("Telepon"), lambda v: v.phone, width=16),
        Column(_("User ID"), lambda v: v.user.username, width=16),
        Column(_("Status"), label_of("status", VendorStatus.choices), width=20),
        Column(_("Didaftarkan (WIB)"), lambda v: v.registered_at, width=18),
        Column(_("Batas verifikasi (WIB)"), lambda v: v.verification_deadline, width=18),
        Column(_("Diverifikasi (WIB)"), lambda v: v.verified_at, width=18),
    ),
)


def _username(user) -> str:
    return user.username if user is not None else ""


def _seen(change) -> str:
    shown = []
    if change.deed_seen:
        shown.append(str(_("Akta")))
    if change.director_ktp_seen:
        shown.append(str(_("KTP direktur")))
    return ", ".join(shown)


EMAIL_CHANGES = Listing(
    slug="perubahan-email",
    title=_("Daftar perubahan e-mail perusahaan"),
    columns=(
        Column(_("Penyedia"), lambda c: c.vendor.name, width=36),
        Column(_("Nomor pendaftaran"), lambda c: c.vendor.registration_number, width=18),
        Column(_("E-mail lama"), lambda c: c.old_email, width=28),
        Column(_("E-mail baru"), lambda c: c.new_email, width=28),
        Column(_("Dokumen asli dilihat"), _seen, width=20),
        Column(_("Diajukan (WIB)"), lambda c: c.requested_at, width=18),
        Column(_("Diajukan oleh"), lambda c: _username(c.requested_by), width=16),
        Column(_("Verifikator"), lambda c: _username(c.reviewed_by), width=16),
        Column(_("Diperiksa (WIB)"), lambda c: c.reviewed_at, width=18),
        Column(_("Administrator"), lambda c: _username(c.applied_by), width=16),
        Column(_("Diterapkan (WIB)"), lambda c: c.applied_at, width=18),
        Column(_("Status"), label_of("status", EmailChangeStatus.choices), width=30),
        Column(_("Alasan penolakan"), lambda c: c.refusal_reason, width=40),
    ),
)
