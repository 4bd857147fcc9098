"""Company data of a verified vendor (REG-7), its documents and upload diagnostics,
and the e-mail change requests of SOP 3.3 (ERR-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

__all__ = [
    "CompanyDocument",
    "CompanySection",
    "Deed",
    "EmailChangeRequest",
    "EmailChangeStatus",
    "Equipment",
    "Experience",
    "ExpertStaff",
    "Permit",
    "TaxRecord",
    "UploadAttempt",
    "UploadOutcome",
]


class CompanySection(models.TextChoices):
    PERMIT = "permit", _("Izin usaha")
    DEED = "deed", _("Akta")
    TAX = "tax", _("Pajak")
    STAFF = "staff", _("Tenaga ahli")
    EXPERIENCE = "experience", _("Pengalaman")
    EQUIPMENT = "equipment", _("Peralatan")
    EMAIL_CHANGE = "email_change", _("Surat pernyataan perubahan e-mail")


class CompanyRecord(models.Model):
    """Common part of the records of the company data sections."""

    SECTION: str = ""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah pada"), default=timezone.now)

    class Meta:
        abstract = True


class Permit(CompanyRecord):
    SECTION = CompanySection.PERMIT

    kind = models.CharField(_("jenis izin"), max_length=100)
    number = models.CharField(_("nomor izin"), max_length=100)
    issuer = models.CharField(_("instansi pemberi izin"), max_length=200)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("izin usaha")
        verbose_name_plural = _("izin usaha")

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class DeedKind(models.TextChoices):
    FOUNDING = "founding", _("Akta pendirian")
    AMENDMENT = "amendment", _("Akta perubahan")


class Deed(CompanyRecord):
    SECTION = CompanySection.DEED

    kind = models.CharField(_("jenis akta"), max_length=20, choices=DeedKind.choices)
    number = models.CharField(_("nomor akta"), max_length=100)
    date = models.DateField(_("tanggal akta"))
    notary = models.CharField(_("notaris"), max_length=200)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("akta")
        verbose_name_plural = _("akta")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class TaxRecord(CompanyRecord):
    SECTION = CompanySection.TAX

    description = models.CharField(
        _("dokumen"), max_length=200, help_text=_("Misalnya: kartu NPWP, SPT Tahunan.")
    )
    tax_return_year = models.PositiveIntegerField(_("tahun SPT terakhir"), null=True, blank=True)

    class Meta:
        ordering = ["-tax_return_year", "pk"]
        verbose_name = _("data pajak")
        verbose_name_plural = _("data pajak")

    def __str__(self) -> str:
        return self.description


class ExpertStaff(CompanyRecord):
    SECTION = CompanySection.STAFF

    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200)
    education = models.CharField(_("pendidikan"), max_length=200)
    experience_years = models.PositiveIntegerField(_("pengalaman kerja (tahun)"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tenaga ahli")
        verbose_name_plural = _("tenaga ahli")

    def __str__(self) -> str:
        return self.name


class Experience(CompanyRecord):
    SECTION = CompanySection.EXPERIENCE

    contract_name = models.CharField(_("nama paket/kontrak"), max_length=300)
    client = models.CharField(_("pemberi kerja"), max_length=200)
    value = models.DecimalField(_("nilai kontrak (Rp)"), max_digits=18, decimal_places=2)
    year = models.PositiveIntegerField(_("tahun"))

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("pengalaman")
        verbose_name_plural = _("pengalaman")

    def __str__(self) -> str:
        return self.contract_name


class Ownership(models.TextChoices):
    OWNED = "owned", _("Milik sendiri")
    LEASED = "leased", _("Sewa")
    OTHER = "other", _("Lainnya")


class Equipment(CompanyRecord):
    SECTION = CompanySection.EQUIPMENT

    kind = models.CharField(_("jenis peralatan"), max_length=200)
    quantity = models.PositiveIntegerField(_("jumlah"))
    ownership = models.CharField(_("status kepemilikan"), max_length=10, choices=Ownership.choices)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("peralatan")
        verbose_name_plural = _("peralatan")

    def __str__(self) -> str:
        return self.kind


class CompanyDocument(models.Model):
    """One stored version of a document of a record (REG-7); versions are never removed."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="documents")
    section = models.CharField(_("bagian"), max_length=20, choices=CompanySection.choices)
    record_id = models.PositiveBigIntegerField(_("data"))
    version = models.PositiveIntegerField(_("versi"))
    original_name = models.CharField(_("nama berkas asal"), max_length=255)
    stored_name = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    detected_type = models.CharField(_("jenis"), max_length=10)
    mime_type = models.CharField(max_length=50)
    md5 = models.CharField("MD5", max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )

    class Meta:
        ordering = ["section", "record_id", "-version"]
        verbose_name = _("dokumen perusahaan")
        verbose_name_plural = _("dokumen perusahaan")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "record_id", "version"], name="document_version_unique"
            )
        ]
        indexes = [models.Index(fields=["vendor", "section", "record_id"])]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


class UploadOutcome(models.TextChoices):
    OK = "ok", _("Diterima")
    REJECTED = "rejected", _("Ditolak")
    ERROR = "error", _("Galat")


class UploadAttempt(models.Model):
    """Diagnostics of every upload attempt, accepted or not (REG-7; ERR-4 reads them)."""

    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="upload_attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    attempted_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    section = models.CharField(_("bagian"), max_length=20, choices=CompanySection.choices)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    declared_size = models.BigIntegerField(_("ukuran dinyatakan"), null=True, blank=True)
    bytes_received = models.BigIntegerField(_("bita diterima"), default=0)
    detected_type = models.CharField(_("jenis terdeteksi"), max_length=20, blank=True)
    outcome = models.CharField(_("hasil"), max_length=10, choices=UploadOutcome.choices)
    error_code = models.CharField(_("kode galat"), max_length=30, blank=True)
    error_message = models.CharField(_("pesan"), max_length=300, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=300, blank=True)
    document = models.ForeignKey(
        CompanyDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-attempted_at", "-pk"]
        verbose_name = _("percobaan unggah")
        verbose_name_plural = _("percobaan unggah")
        indexes = [models.Index(fields=["vendor", "-attempted_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} {self.get_outcome_display()}"


class EmailChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan, menunggu verifikator")
    CONFIRMED = "confirmed", _("Dikonfirmasi verifikator, menunggu administrator")
    RECEIVED = "received", _("Diterima administrator, sedang diproses")
    APPLIED = "applied", _("Diterapkan")
    REFUSED = "refused", _("Ditolak")


class EmailChangeRequest(HasSopCase, models.Model):
    """A vendor's request to change its company e-mail (SOP 3.3, ERR-2)."""

    SOP_CODE = "3.3"

    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="email_changes"
    )
    old_email = models.EmailField(_("e-mail lama"))
    new_email = models.EmailField(_("e-mail baru"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EmailChangeStatus.choices,
        default=EmailChangeStatus.SUBMITTED,
    )
    letter = models.ForeignKey(
        CompanyDocument,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("surat pernyataan"),
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deed_seen = models.BooleanField(_("akta perusahaan diperlihatkan"), default=False)
    director_ktp_seen = models.BooleanField(_("KTP asli direktur diperlihatkan"), default=False)
    review_note = models.TextField(_("catatan verifikator"), blank=True)
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verifikator"),
    )
    received_at = models.DateTimeField(_("diterima administrator pada"), null=True, blank=True)
    applied_at = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administrator"),
    )
    refusal_reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("perubahan e-mail")
        verbose_name_plural = _("perubahan e-mail")

    def __str__(self) -> str:
        return f"{self.old_email} -> {self.new_email}"

    @property
    def is_open(self) -> bool:
        return self.status in {
            EmailChangeStatus.SUBMITTED,
            EmailChangeStatus.CONFIRMED,
            EmailChangeStatus.RECEIVED,
        }
