"""Tender keys, sealed bids and their opening (BID-2, BID-4).

A sealed bid file lives under `settings.LPSE_BIDS_DIR` named by its SHA-256; the
row is written only after the file is complete, fsynced and renamed into place.
The tender's private key is never stored whole: either it is encrypted under a
wrapping key split k-of-n among the committee (`KeyShare`, each protected by the
member's passphrase), or it never reached the server (offline certificate).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    BidSource,
    BidStatus,
    FailureCode,
    KeyMode,
    OpeningMethod,
    OpeningOutcome,
    OpeningStatus,
    TransitionKind,
    TusStatus,
)


class TenderKey(models.Model):
    """The key pair bids of one tender are sealed for (BID-4)."""

    tender = models.OneToOneField(
        "tenders.Tender", on_delete=models.CASCADE, related_name="bid_key"
    )
    mode = models.CharField(_("cara pembuatan"), max_length=30, choices=KeyMode.choices)
    certificate_pem = models.TextField(_("sertifikat (PEM)"))
    #: SHA-256 of the certificate's DER, hex: what vendors compare.
    certificate_sha256 = models.CharField(_("sidik jari sertifikat"), max_length=64)
    not_after = models.DateTimeField(_("berlaku sampai"))
    #: The private key (PKCS#8) encrypted under the split wrapping key; empty when offline.
    encrypted_private_key = models.BinaryField(blank=True, default=b"")
    threshold = models.PositiveSmallIntegerField(_("jumlah bagian minimal (k)"), default=0)
    share_count = models.PositiveSmallIntegerField(_("jumlah bagian (n)"), default=0)
    #: Largest bid in MB for this tender; 0 means the LPSE_BID_MAX_MB setting.
    max_bid_mb = models.PositiveIntegerField(_("ukuran penawaran maksimum (MB)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("kunci tender")
        verbose_name_plural = _("kunci tender")

    def __str__(self) -> str:
        return f"{self.tender_id} {self.mode}"

    @property
    def is_offline(self) -> bool:
        return self.mode == KeyMode.OFFLINE_CERTIFICATE

    @property
    def max_bytes(self) -> int:
        return (self.max_bid_mb or settings.LPSE_BID_MAX_MB) * 1024 * 1024


class KeyShare(models.Model):
    """One committee member's share of the wrapping key, protected by their passphrase."""

    key = models.ForeignKey(TenderKey, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bid_key_shares"
    )
    position = models.PositiveSmallIntegerField(default=0)
    share = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "position"]
        verbose_name = _("bagian kunci")
        verbose_name_plural = _("bagian kunci")
        constraints = [
            models.UniqueConstraint(fields=["key", "member"], name="keyshare_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.key_id} {self.member_id}"


class Bid(models.Model):
    """One sealed bid of a participant; a re-upload supersedes the previous one (BID-2)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="bids")
    participant = models.ForeignKey(
        "tenders.Participant", on_delete=models.PROTECT, related_name="bids"
    )
    key = models.ForeignKey(TenderKey, on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(
        _("status"), max_length=20, choices=BidStatus.choices, default=BidStatus.SUBMITTED
    )
    source = models.CharField(_("cara unggah"), max_length=20, choices=BidSource.choices)
    #: Relative to LPSE_BIDS_DIR: "sealed/<tender code>/<sealed sha256>.p7m".
    sealed_name = models.CharField(max_length=200)
    #: Browser uploads: [{"name", "size", "md5", "sha256"}] of each file in the ZIP.
    files = models.JSONField(_("berkas"), default=list, blank=True)
    original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True)
    plain_size = models.PositiveBigIntegerField(_("ukuran asli"), null=True, blank=True)
    plain_md5 = models.CharField(_("MD5 asli"), max_length=32, blank=True)
    plain_sha256 = models.CharField(_("SHA-256 asli"), max_length=64, blank=True)
    sealed_size = models.PositiveBigIntegerField(_("ukuran tersegel"))
    sealed_md5 = models.CharField(_("MD5 tersegel"), max_length=32)
    sealed_sha256 = models.CharField(_("SHA-256 tersegel"), max_length=64)
    received_at = models.DateTimeField(_("diterima pada"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dikirim oleh"),
    )
    receipt_number = models.CharField(_("nomor tanda terima"), max_length=60, blank=True)
    #: The canonical JSON the LPSE signed (UTF-8), and the detached CMS signature (DER).
    receipt_json = models.TextField(blank=True)
    receipt_signature = models.BinaryField(blank=True, default=b"")
    superseded_at = models.DateTimeField(_("diganti pada"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("penawaran")
        verbose_name_plural = _("penawaran")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status=BidStatus.SUBMITTED),
                name="bid_one_submitted_per_participant",
            )
        ]
        indexes = [models.Index(fields=["tender", "status"], name="bid_tender_status_idx")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.participant_id} {self.status}"


class Opening(models.Model):
    """One opening of all submitted bids of a tender (BID-4)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="openings")
    status = models.CharField(
        _("status"), max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.RUNNING
    )
    method = models.CharField(_("cara"), max_length=20, choices=OpeningMethod.choices)
    #: User ids of the members whose shares were combined.
    share_members = models.JSONField(default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    opened_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("pembukaan penawaran")
        verbose_name_plural = _("pembukaan penawaran")

    def __str__(self) -> str:
        return f"{self.tender_id} {self.started_at:%Y-%m-%d %H:%M}"


class BidOpening(models.Model):
    """The result of opening one bid (BID-4); the plaintext sits in the committee area."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="results")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="openings")
    outcome = models.CharField(_("hasil"), max_length=10, choices=OpeningOutcome.choices)
    failure_code = models.CharField(
        _("kode kegagalan"), max_length=30, choices=FailureCode.choices, blank=True
    )
    message = models.TextField(_("keterangan"), blank=True)
    #: Relative to LPSE_BIDS_DIR: "opened/<tender code>/<opening id>/<bid id>.<ext>".
    plain_name = models.CharField(max_length=200, blank=True)
    plain_size = models.PositiveBigIntegerField(null=True, blank=True)
    plain_md5 = models.CharField(max_length=32, blank=True)
    plain_sha256 = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opening", "pk"]
        verbose_name = _("hasil pembukaan")
        verbose_name_plural = _("hasil pembukaan")
        constraints = [
            models.UniqueConstraint(fields=["opening", "bid"], name="bidopening_once_per_opening")
        ]

    def __str__(self) -> str:
        return f"{self.bid_id} {self.outcome}"

    @property
    def failed(self) -> bool:
        return self.outcome == OpeningOutcome.FAILED


class TusUpload(models.Model):
    """A resumable upload (tus 1.0) of a pre-sealed envelope, finalised into a `Bid`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "tenders.Participant", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=TusStatus.choices, default=TusStatus.OPEN)
    bid = models.ForeignKey(Bid, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unggahan berlanjut")
        verbose_name_plural = _("unggahan berlanjut")
        indexes = [models.Index(fields=["status", "updated_at"], name="tus_status_updated_idx")]

    def __str__(self) -> str:
        return str(self.id)


class BidTransition(models.Model):
    """One state change of a tender key, bid, upload or opening (STYLE 4): the history."""

    tender = models.ForeignKey(
        "tenders.Tender", on_delete=models.CASCADE, related_name="bid_transitions"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=TransitionKind.choices)
    object_id = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(_("dari"), max_length=30, blank=True)
    to_state = models.CharField(_("menjadi"), max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(_("pada"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat penawaran")
        verbose_name_plural = _("riwayat penawaran")
        indexes = [models.Index(fields=["tender", "at"], name="bid_transition_idx")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.kind} {self.from_state}->{self.to_state}"


__all__ = [
    "Bid",
    "BidOpening",
    "BidTransition",
    "FailureCode",
    "KeyShare",
    "Opening",
    "TenderKey",
    "TusUpload",
]


# --- Failed openings (ERR-1, SOP 3.1; helper witness): models in failure_models.py -----------
from .failure_models import *  # noqa: E402, F403
