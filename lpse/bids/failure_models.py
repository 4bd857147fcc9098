"""Bid files the committee could not open (ERR-1, SOP 3.1, Pasal 9(2)).

`FailedOpeningRequest` is the committee's request to the head of LPSE (HasSopCase, SOP
3.1); each file in it is a `FailedFile` (a failed bid in the system or a file that came
on CD/e-mail) with its automatic diagnosis; LPSE staff record `OpeningAttempt`s; the LPSE
witnesses it in a signed `WitnessReport`; status moves write `FailedOpeningTransition`.
Imported at the end of models.py so Django registers them in the bids app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

from .failure_choices import (
    AttemptOutcome,
    Diagnosis,
    FileOutcome,
    FileSource,
    RequestChannel,
    RequestResult,
    RequestStatus,
)


class FailedOpeningRequest(HasSopCase, models.Model):
    """The committee's request to the head of LPSE to handle bid files that won't open."""

    SOP_CODE = "3.1"

    tender = models.ForeignKey(
        "tenders.Tender", on_delete=models.PROTECT, related_name="failed_opening_requests"
    )
    #: PB-<year>-<pk>, set right after the insert.
    reference = models.CharField(  # noqa: DJ001 - NULL until the insert, unique after
        _("nomor permohonan"), max_length=20, unique=True, null=True
    )
    channel = models.CharField(_("cara pengajuan"), max_length=10, choices=RequestChannel.choices)
    letter_reference = models.CharField(_("nomor surat/e-mail"), max_length=150, blank=True)
    letter_date = models.DateField(_("tanggal surat/e-mail"), null=True, blank=True)
    description = models.TextField(_("uraian permasalahan"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    filed_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    handling_started_at = models.DateTimeField(_("penanganan dimulai"), null=True, blank=True)
    handling_finished_at = models.DateTimeField(_("penanganan selesai"), null=True, blank=True)
    lkpp_email = models.EmailField(_("dikirim ke e-mail LKPP"), blank=True)
    escalated_at = models.DateTimeField(_("diteruskan ke LKPP pada"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lkpp_reference = models.CharField(_("nomor tiket LKPP"), max_length=100, blank=True)
    lkpp_answer = models.TextField(_("jawaban LKPP"), blank=True)
    lkpp_answered_at = models.DateTimeField(_("dijawab LKPP pada"), null=True, blank=True)
    result = models.CharField(_("hasil"), max_length=12, choices=RequestResult.choices, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("permohonan penanganan berkas penawaran")
        verbose_name_plural = _("permohonan penanganan berkas penawaran")
        indexes = [
            models.Index(fields=["tender", "filed_at"], name="bids_failreq_tender_idx"),
            models.Index(fields=["status", "filed_at"], name="bids_failreq_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"PB-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != RequestStatus.CLOSED


class FailedFile(models.Model):
    """One bid file of a request: a failed bid in the system or an uploaded copy."""

    request = models.ForeignKey(
        FailedOpeningRequest, on_delete=models.CASCADE, related_name="files"
    )
    source = models.CharField(_("sumber"), max_length=10, choices=FileSource.choices)
    bid = models.ForeignKey(
        "bids.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bid_opening = models.ForeignKey(
        "bids.BidOpening",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="failure_files",
        verbose_name=_("hasil pembukaan"),
    )
    vendor_name = models.CharField(_("penyedia"), max_length=255, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    #: Relative to LPSE_BIDS_DIR: the bid's sealed file, or "failures/<request>/<sha256>.p7m".
    stored_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    md5 = models.CharField("MD5", max_length=32, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    #: From the vendor's receipt (tanda terima), when known.
    expected_size = models.PositiveBigIntegerField(_("ukuran menurut tanda terima"), null=True)
    expected_md5 = models.CharField(_("MD5 menurut tanda terima"), max_length=32, blank=True)
    expected_sha256 = models.CharField(_("SHA-256 menurut tanda terima"), max_length=64, blank=True)
    #: An optional detached CMS signature of the vendor over the file (uploaded with it).
    signature = models.BinaryField(blank=True, default=b"")
    diagnosis = models.CharField(
        _("diagnosis"), max_length=25, choices=Diagnosis.choices, blank=True
    )
    diagnosis_message = models.TextField(_("penjelasan"), blank=True)
    diagnosis_advice = models.TextField(_("tindak lanjut"), blank=True)
    diagnosis_details = models.JSONField(default=dict, blank=True)
    diagnosed_at = models.DateTimeField(_("didiagnosis pada"), null=True, blank=True)
    outcome = models.CharField(
        _("hasil"), max_length=10, choices=FileOutcome.choices, default=FileOutcome.PENDING
    )
    #: Relative to LPSE_BIDS_DIR: the plaintext once opened (committee-only area).
    plain_name = models.CharField(max_length=255, blank=True)
    plain_size = models.PositiveBigIntegerField(null=True, blank=True)
    plain_md5 = models.CharField(max_length=32, blank=True)
    plain_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("berkas yang tidak bisa dibuka")
        verbose_name_plural = _("berkas yang tidak bisa dibuka")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_unresolved(self) -> bool:
        return self.outcome in (FileOutcome.PENDING, FileOutcome.FAILED, FileOutcome.ESCALATED)


class OpeningAttempt(models.Model):
    """LPSE staff's own attempt to open one file (SOP 3.1 step 2)."""

    file = models.ForeignKey(FailedFile, on_delete=models.CASCADE, related_name="attempts")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oleh"),
    )
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), default=timezone.now)
    used_key = models.BooleanField(_("dicoba dengan kunci privat"), default=False)
    outcome = models.CharField(_("hasil"), max_length=10, choices=AttemptOutcome.choices)
    error_code = models.CharField(_("kode kesalahan"), max_length=30, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["file", "finished_at", "pk"]
        verbose_name = _("percobaan pembukaan")
        verbose_name_plural = _("percobaan pembukaan")

    def __str__(self) -> str:
        return f"{self.file_id} {self.outcome}"


class WitnessReport(models.Model):
    """Berita Acara Kesaksian (Pasal 9(2)): numbered, PAdES-signed PDF, written once."""

    request = models.OneToOneField(
        FailedOpeningRequest, on_delete=models.PROTECT, related_name="witness_report"
    )
    year = models.PositiveIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor berita acara"), max_length=80, unique=True)
    #: [{"name": ..., "role": ...}] of the people present.
    witnesses = models.JSONField(_("saksi"), default=list)
    issued_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: Relative to LPSE_BIDS_DIR: "reports/<sha256>.pdf", never overwritten.
    stored_name = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(editable=False)
    signer_subject = models.CharField(_("penanda tangan elektronik"), max_length=300)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("berita acara kesaksian")
        verbose_name_plural = _("berita acara kesaksian")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="bids_witness_report_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        """Written once: a signed report is never changed (a new fact needs a new request)."""
        if self.pk is not None:
            raise ValueError("A witness report is written once and never changed")
        super().save(*args, **kwargs)

    @property
    def file_name(self) -> str:
        return f"berita-acara-kesaksian-{self.year}-{self.sequence:04d}.pdf"


class FailedOpeningTransition(models.Model):
    """One status move of a request (STYLE practice 4)."""

    request = models.ForeignKey(
        FailedOpeningRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("dari"), max_length=12, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=12, choices=RequestStatus.choices)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("perpindahan status permohonan")
        verbose_name_plural = _("perpindahan status permohonan")
        indexes = [models.Index(fields=["request", "at"], name="bids_failreq_transition_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


__all__ = [
    "FailedFile",
    "FailedOpeningRequest",
    "FailedOpeningTransition",
    "OpeningAttempt",
    "WitnessReport",
]
