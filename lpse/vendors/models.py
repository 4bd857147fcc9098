"""Vendor registration and desk verification (REG-1..REG-6, SOP 1.1).

A `Vendor` is the company that registered; its login is a `User` with the
VENDOR role that has no usable password until the vendor sets one with a
one-time `ActivationCode` after desk verification (REG-5).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

from .choices import CheckResult, LegalForm, VendorStatus, VerificationOutcome


class BusinessField(models.Model):
    """Reference data: a business field (bidang/sub-bidang usaha), KBLI-style (REG-2)."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("bidang induk"),
    )
    order = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("bidang usaha")
        verbose_name_plural = _("bidang usaha")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


LEGAL_PREFIX = re.compile(
    r"^(?:pt|cv|ud|fa|firma|koperasi|kop|yayasan|persero|perum|pd)\b\.?\s*(?:\(persero\)\s*)?"
)


def name_key(name: str) -> str:
    """The searchable form of a company name: lower case, without a leading legal form,
    so "zamrud" and "PT Zamrud" both find "PT Zamrud Khatulistiwa" by prefix (REG-4)."""
    key = " ".join((name or "").lower().replace(".", " ").split())
    return LEGAL_PREFIX.sub("", key, count=1).strip()


class Vendor(HasSopCase, models.Model):
    """A company registered as a vendor (penyedia barang/jasa)."""

    SOP_CODE = "1.1"

    name = models.CharField(_("nama perusahaan"), max_length=200)
    #: Lower-cased name for the indexed prefix search of the desk queue (REG-4).
    search_name = models.CharField(max_length=200, editable=False, default="")
    legal_form = models.CharField(_("bentuk usaha"), max_length=20, choices=LegalForm.choices)
    tax_id = models.CharField(_("NPWP"), max_length=16, unique=True)
    business_id = models.CharField(_("NIB"), max_length=13, unique=True, null=True, blank=True)
    address = models.TextField(_("alamat"))
    city = models.CharField(_("kabupaten/kota"), max_length=100)
    phone = models.CharField(_("telepon"), max_length=30)
    director_name = models.CharField(_("nama direktur/pimpinan"), max_length=200)
    director_id_number = models.CharField(_("NIK direktur/pimpinan"), max_length=16)
    business_fields = models.ManyToManyField(
        BusinessField, related_name="vendors", verbose_name=_("bidang usaha")
    )
    email = models.EmailField(_("e-mail perusahaan"), max_length=254)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vendor",
        verbose_name=_("User ID"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VendorStatus.choices,
        default=VendorStatus.PENDING_VERIFICATION,
    )
    registration_number = models.CharField(_("nomor pendaftaran"), max_length=20, unique=True)
    registered_at = models.DateTimeField(_("didaftarkan pada"), default=timezone.now)
    verification_deadline = models.DateTimeField(_("batas verifikasi"))
    reminder_sent_at = models.DateTimeField(_("pengingat dikirim pada"), null=True, blank=True)
    expired_at = models.DateTimeField(_("kedaluwarsa pada"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    activated_at = models.DateTimeField(_("diaktifkan pada"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Dibuat oleh `lpse demo`; bukan data nyata.")
    )

    class Meta:
        ordering = ["verification_deadline", "pk"]
        verbose_name = _("penyedia")
        verbose_name_plural = _("penyedia")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="vendor_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "verification_deadline"], name="vendor_queue_idx"),
            models.Index(
                fields=["search_name"],
                name="vendor_name_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.registration_number})"

    def save(self, *args, **kwargs):
        self.search_name = name_key(self.name)
        if self.email:
            self.email = self.email.strip().lower()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.status == VendorStatus.VERIFIED

    @property
    def can_edit_company_data(self) -> bool:
        """Only a verified vendor changes its company data (REG-3, REG-7)."""
        return self.status == VendorStatus.VERIFIED

    @property
    def can_bid(self) -> bool:
        """Unverified vendors may not take part in tenders (REG-3)."""
        return self.status == VendorStatus.VERIFIED and self.activated_at is not None


class EmailConfirmation(models.Model):
    """A confirmation link sent to a company e-mail (REG-1). Single use; only the hash is kept."""

    email = models.EmailField(_("e-mail"), max_length=254, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai pada"), null=True, blank=True)
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmations",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("konfirmasi e-mail")
        verbose_name_plural = _("konfirmasi e-mail")

    def __str__(self) -> str:
        return self.email

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at


class VerificationChecklistItem(models.Model):
    """A document the verifier checks at the desk; the head configures the list (REG-4)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("dokumen"), max_length=200)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("butir daftar periksa verifikasi")
        verbose_name_plural = _("daftar periksa verifikasi")

    def __str__(self) -> str:
        return self.label


class Verification(models.Model):
    """One desk session (SOP 1.1 steps 8-9) of a verifier with an applicant."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="verifications")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verifikator"),
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=20, choices=VerificationOutcome.choices, blank=True
    )
    reasons = models.TextField(_("alasan"), blank=True)
    originals_seen = models.BooleanField(_("dokumen asli diperlihatkan"), default=False)
    outside_desk_hours = models.BooleanField(_("di luar jam layanan verifikasi"), default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("verifikasi")
        verbose_name_plural = _("verifikasi")

    def __str__(self) -> str:
        return f"{self.vendor} - {self.started_at:%Y-%m-%d %H:%M}"


class DocumentCheck(models.Model):
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(VerificationChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("hasil"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["verification", "item"], name="unique_check_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


class ActivationCode(models.Model):
    """One-time code with which a verified vendor sets its own password (REG-5)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at


from .company import *  # noqa: E402, F403
