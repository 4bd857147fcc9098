"""Training requests of work units and their sessions (TRN-1..TRN-4, SOP 2.3-2.4).

A `TrainingRequest` is one SKPD's letter asking for training; it follows SOP
2.3 (`HasSopCase`) and each status change writes a `RequestTransition`. Its
`TrainingSession` holds the agreed date, room, training server and trainer;
each hour the session occupies is a `SlotBooking` row per resource, and a
unique constraint on (kind, resource, hour) makes double booking impossible
on every database, even when two officers schedule at the same moment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

from .choices import Audience, BookingKind, LetterKind, RequestStatus, ResourceKind


class TrainingResource(models.Model):
    """A training room or training server (configurable by the head/administrator)."""

    kind = models.CharField(_("jenis"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("nama"), max_length=120)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("sarana pelatihan")
        verbose_name_plural = _("sarana pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="training_resource_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DayException(models.Model):
    """Another day the head set for training an audience (SOP 2.4 step 7 "atau hari lain")."""

    date = models.DateField(_("tanggal"))
    audience = models.CharField(_("peserta"), max_length=10, choices=Audience.choices)
    reason = models.CharField(_("alasan"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("ditetapkan pada"), default=timezone.now)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hari pelatihan khusus")
        verbose_name_plural = _("hari pelatihan khusus")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "audience"], name="training_day_exception_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_audience_display()}"


class TrainingRequest(HasSopCase, models.Model):
    """A work unit's request for training (TRN-1)."""

    SOP_CODE = "2.3"

    work_unit = models.ForeignKey(
        "accounts.WorkUnit",
        on_delete=models.PROTECT,
        related_name="training_requests",
        verbose_name=_("satuan kerja"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    audience = models.CharField(_("peserta"), max_length=10, choices=Audience.choices)
    letter_number = models.CharField(_("nomor surat permohonan"), max_length=100)
    letter_date = models.DateField(_("tanggal surat"))
    letter_text = models.TextField(_("isi surat (diketik)"), blank=True)
    letter_file_name = models.CharField(_("nama berkas surat"), max_length=255, blank=True)
    letter_stored_name = models.CharField(max_length=255, blank=True, editable=False)
    letter_mime = models.CharField(max_length=50, blank=True, editable=False)
    letter_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    letter_md5 = models.CharField(max_length=32, blank=True, editable=False)
    letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    wanted_date = models.DateField(_("tanggal yang diinginkan"))
    wanted_date_alt = models.DateField(_("tanggal alternatif"), null=True, blank=True)
    participant_count = models.PositiveSmallIntegerField(_("jumlah peserta"))
    contact_name = models.CharField(_("nama narahubung"), max_length=120)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=30)
    contact_email = models.EmailField(_("e-mail narahubung"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    call_minutes = models.PositiveSmallIntegerField(
        _("lama telepon (menit)"), null=True, blank=True
    )
    agreed_date = models.DateField(_("tanggal yang disepakati"), null=True, blank=True)
    confirmation_note = models.TextField(_("catatan konfirmasi"), blank=True)
    attended_count = models.PositiveSmallIntegerField(_("jumlah hadir"), null=True, blank=True)
    outcome_note = models.TextField(_("hasil pelatihan"), blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("permohonan pelatihan")
        verbose_name_plural = _("permohonan pelatihan")
        indexes = [
            models.Index(fields=["status", "-requested_at"], name="training_req_status"),
            models.Index(fields=["work_unit", "-requested_at"], name="training_req_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(letter_text="") | ~Q(letter_stored_name=""),
                name="training_request_has_letter",
            ),
            models.CheckConstraint(
                condition=Q(participant_count__gte=1), name="training_request_participants"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_unit}: {self.get_audience_display()} ({self.letter_number})"

    @property
    def has_letter_file(self) -> bool:
        return bool(self.letter_stored_name)


class RequestTransition(models.Model):
    """One status change of a request: its history and audit trail (STYLE 4)."""

    request = models.ForeignKey(
        TrainingRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RequestStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '-'} -> {self.to_status}"


class Participant(models.Model):
    """A named participant of a request, with attendance once recorded (TRN-4)."""

    request = models.ForeignKey(
        TrainingRequest, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("nama"), max_length=150)
    attended = models.BooleanField(_("hadir"), null=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    """The scheduled training of a request: when, where, on which server, by whom (TRN-2)."""

    request = models.OneToOneField(
        TrainingRequest, on_delete=models.CASCADE, related_name="session"
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    room = models.ForeignKey(
        TrainingResource, on_delete=models.PROTECT, related_name="+", verbose_name=_("ruang")
    )
    server = models.ForeignKey(
        TrainingResource,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("server latihan"),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("pelatih"),
    )
    exception = models.ForeignKey(
        DayException, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("jadwal pelatihan")
        verbose_name_plural = _("jadwal pelatihan")
        indexes = [models.Index(fields=["starts_at"], name="training_session_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class SlotBooking(models.Model):
    """One hour of one resource held by a session; unique, so never held twice."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    kind = models.CharField(max_length=10, choices=BookingKind.choices)
    resource_id = models.PositiveBigIntegerField()
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "resource_id", "starts_at"], name="training_slot_unique"
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="training_slot_start")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.resource_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class Letter(models.Model):
    """A numbered letter of a request: the reply or the trainer's assignment (TRN-3)."""

    request = models.ForeignKey(TrainingRequest, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("jenis"), max_length=12, choices=LetterKind.choices)
    year = models.PositiveIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor surat"), max_length=80, unique=True)
    issued_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("penanda tangan"), max_length=150, blank=True)
    recipient = models.EmailField(_("dikirim ke"))
    stored_name = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("surat pelatihan")
        verbose_name_plural = _("surat pelatihan")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="training_letter_sequence_unique"
            ),
            models.UniqueConstraint(fields=["request", "kind"], name="training_letter_one_each"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def file_name(self) -> str:
        prefix = "surat-jawaban" if self.kind == LetterKind.REPLY else "surat-tugas"
        return f"{prefix}-{self.year}-{self.sequence:04d}.pdf"


class TrainerFeed(models.Model):
    """A trainer's secret calendar address (TRN-4): only its SHA-256 is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kalender pelatih")
        verbose_name_plural = _("kalender pelatih")

    def __str__(self) -> str:
        return str(self.user)
