"""Helpdesk tickets (DESK-1..4), their history, LKPP escalations and the knowledge base.

A ticket follows SOP 2.1 (HasSopCase); an upload-failure ticket also opens a
case of SOP 3.7 (ERR-4). Every status move writes a `TicketTransition`: the
history, the SOP step timing and the service-level clock all read it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

from .choices import (
    ACTIVE,
    Channel,
    EscalationReason,
    EscalationStatus,
    MessageKind,
    RequesterType,
    TicketKind,
    TicketStatus,
    UploadResolution,
)
from .support import SupportAction, SupportGrant

__all__ = [
    "REFERENCE_RE",
    "Article",
    "Escalation",
    "SupportAction",
    "SupportGrant",
    "Ticket",
    "TicketAttachment",
    "TicketMessage",
    "TicketTransition",
    "Topic",
]

#: A ticket reference as written in e-mail subjects: [HD-2026-000123].
REFERENCE_RE = re.compile(r"\bHD-(\d{4})-(\d{6,})\b", re.IGNORECASE)


class Topic(models.Model):
    """The configurable list of topics a request is filed under (DESK-1)."""

    name = models.CharField(_("nama topik"), max_length=120, unique=True)
    order = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topik helpdesk")
        verbose_name_plural = _("topik helpdesk")

    def __str__(self) -> str:
        return self.name


class Ticket(HasSopCase, models.Model):
    """One request for information, consultation or complaint (Pencatatan, DESK-1)."""

    SOP_CODE = "2.1"

    #: HD-<year>-<pk>, set right after the insert; NULL until then keeps the unique index valid.
    reference = models.CharField(  # noqa: DJ001 - see above
        _("nomor tiket"), max_length=20, unique=True, null=True
    )
    kind = models.CharField(
        _("jenis"), max_length=10, choices=TicketKind.choices, default=TicketKind.GENERAL
    )
    requester_type = models.CharField(
        _("jenis penanya"), max_length=20, choices=RequesterType.choices
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("topik")
    )
    subject = models.CharField(_("perihal"), max_length=200)
    question = models.TextField(_("pertanyaan"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="desk_tickets",
        verbose_name=_("akun penanya"),
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="desk_tickets",
        verbose_name=_("penyedia"),
    )
    requester_name = models.CharField(_("nama penanya"), max_length=200)
    #: Lower-cased name for the indexed prefix search of the queue.
    search_name = models.CharField(max_length=200, editable=False, default="")
    requester_phone = models.CharField(_("telepon penanya"), max_length=30, blank=True)
    requester_email = models.EmailField(_("e-mail penanya"), blank=True)
    requester_org = models.CharField(_("instansi/perusahaan"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    #: The receipt time while the ticket is in the officers' default view (a status in
    #: choices.ACTIVE), NULL once answered or closed; kept by the services with the status.
    #: "queue_at IS NOT NULL ORDER BY queue_at" is a range scan on every database, where a
    #: boolean flag or a status list would be a bound parameter no planner can trust.
    queue_at = models.DateTimeField(null=True, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    received_at = models.DateTimeField(_("diterima pada"), default=timezone.now)
    call_ended_at = models.DateTimeField(_("selesai dilayani pada"), null=True, blank=True)
    inside_working_hours = models.BooleanField(_("dalam jam kerja"), default=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("aktivitas terakhir"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)
    upload_resolution = models.CharField(
        _("hasil penanganan unggah"), max_length=10, choices=UploadResolution.choices, blank=True
    )
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Dibuat oleh `lpse demo`; bukan data nyata.")
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("tiket helpdesk")
        verbose_name_plural = _("tiket helpdesk")
        indexes = [
            # The queue (issue item 6): each filter (officer, topic, channel) is an index
            # ordered by receipt, for the default "not finished" view (queue_at), for one
            # status, and for all statuses.
            models.Index(fields=["received_at"], name="desk_received_idx"),
            models.Index(fields=["queue_at", "status"], name="desk_active_idx"),
            models.Index(fields=["status", "received_at"], name="desk_status_idx"),
            models.Index(fields=["assigned_to", "received_at"], name="desk_assigned_idx"),
            models.Index(fields=["assigned_to", "queue_at"], name="desk_assigned_active_idx"),
            models.Index(
                fields=["assigned_to", "status", "received_at"], name="desk_assigned_status_idx"
            ),
            models.Index(fields=["topic", "received_at"], name="desk_topic_idx"),
            models.Index(fields=["topic", "queue_at"], name="desk_topic_active_idx"),
            models.Index(fields=["topic", "status", "received_at"], name="desk_topic_status_idx"),
            models.Index(fields=["channel", "received_at"], name="desk_channel_idx"),
            models.Index(fields=["channel", "queue_at"], name="desk_channel_active_idx"),
            models.Index(
                fields=["channel", "status", "received_at"], name="desk_channel_status_idx"
            ),
            models.Index(fields=["requester", "received_at"], name="desk_requester_idx"),
            models.Index(
                fields=["search_name"], name="desk_name_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["requester_email"], name="desk_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="desk_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(queue_at__isnull=False, status__in=list(ACTIVE))
                | (Q(queue_at__isnull=True) & ~Q(status__in=list(ACTIVE))),
                name="desk_queue_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or '-'} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status != TicketStatus.CLOSED

    @property
    def can_be_rated(self) -> bool:
        return self.rating is None and self.status in (TicketStatus.ANSWERED, TicketStatus.CLOSED)


class TicketMessage(models.Model):
    """A message on a ticket: the requester's, a reply, an internal note or LKPP's answer."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("jenis"), max_length=10, choices=MessageKind.choices)
    body = models.TextField(_("isi"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penulis"),
    )
    author_name = models.CharField(_("nama penulis"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    #: Message-ID of an inbound e-mail (each is read once) or of the reply sent.
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    emailed_to = models.EmailField(_("dikirim ke"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesan tiket")
        verbose_name_plural = _("pesan tiket")
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.kind == MessageKind.NOTE


class TicketAttachment(models.Model):
    """A file on a ticket, checked and stored like company documents (SEC-3)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TicketMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    internal = models.BooleanField(_("internal"), default=False)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    stored_name = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    detected_type = models.CharField(_("jenis"), max_length=10)
    mime_type = models.CharField(max_length=50)
    md5 = models.CharField("MD5", max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("lampiran tiket")
        verbose_name_plural = _("lampiran tiket")

    def __str__(self) -> str:
        return self.original_name


class TicketTransition(models.Model):
    """One status move (STYLE practice 4): history, step timing and the service clock."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        _("dari"), max_length=20, choices=TicketStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=20, choices=TicketStatus.choices)
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
        verbose_name = _("perpindahan status tiket")
        verbose_name_plural = _("perpindahan status tiket")
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class Escalation(models.Model):
    """A problem sent on to LKPP (Pasal 9(3), DESK-3; SOP 3.7 step 4)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="escalations")
    reason = models.CharField(_("alasan"), max_length=20, choices=EscalationReason.choices)
    sent_summary = models.TextField(_("yang dikirim ke LKPP"))
    diagnostics = models.TextField(_("diagnostik terlampir"), blank=True)
    lkpp_reference = models.CharField(_("nomor tiket LKPP"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EscalationStatus.choices,
        default=EscalationStatus.WAITING,
    )
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("dijawab LKPP pada"), null=True, blank=True)
    answer = models.TextField(_("jawaban LKPP"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("eskalasi ke LKPP")
        verbose_name_plural = _("eskalasi ke LKPP")
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.ticket.reference} -> LKPP {self.lkpp_reference}"


class Article(models.Model):
    """A knowledge-base article (FAQ); `is_canned` ones are offered as canned answers."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topik")
    )
    is_published = models.BooleanField(_("terbit untuk umum"), default=True)
    is_canned = models.BooleanField(_("dipakai sebagai jawaban siap pakai"), default=True)
    #: Lower-cased title and body, searched word by word.
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("diubah pada"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("data demo"), default=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("artikel basis pengetahuan")
        verbose_name_plural = _("artikel basis pengetahuan")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = " ".join(f"{self.title} {self.body}".lower().split())
        super().save(*args, **kwargs)
