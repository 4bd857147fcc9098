"""Statuses of vendor registrations and desk verifications, and the moves allowed (REG-1..REG-6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    PT = "pt", _("Perseroan Terbatas (PT)")
    CV = "cv", _("Persekutuan Komanditer (CV)")
    FIRMA = "firma", _("Firma")
    KOPERASI = "koperasi", _("Koperasi")
    PERSEROAN_PERORANGAN = "pt_perorangan", _("Perseroan Perorangan")
    PERORANGAN = "perorangan", _("Usaha Perorangan")
    YAYASAN = "yayasan", _("Yayasan")
    BUMN_BUMD = "bumn_bumd", _("BUMN/BUMD")


class VendorStatus(models.TextChoices):
    PENDING_VERIFICATION = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")
    EXPIRED = "expired", _("Kedaluwarsa")


#: status -> the statuses a registration may move to from it.
VENDOR_TRANSITIONS: dict[str, frozenset[str]] = {
    VendorStatus.PENDING_VERIFICATION: frozenset(
        {VendorStatus.VERIFIED, VendorStatus.REJECTED, VendorStatus.EXPIRED}
    ),
    # An expired or rejected registration is renewed by registering again (REG-3).
    VendorStatus.EXPIRED: frozenset({VendorStatus.PENDING_VERIFICATION}),
    VendorStatus.REJECTED: frozenset({VendorStatus.PENDING_VERIFICATION}),
    VendorStatus.VERIFIED: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return new in VENDOR_TRANSITIONS.get(current, frozenset())


class VerificationOutcome(models.TextChoices):
    COMPLETE = "complete", _("Lengkap (tanda lengkap)")
    INCOMPLETE = "incomplete", _("Belum lengkap")
    REJECTED = "rejected", _("Ditolak")


class CheckResult(models.TextChoices):
    SEEN = "seen", _("Ada, diperiksa")
    MISSING = "missing", _("Tidak ada")
