"""Tenders (paket), their schedules, documents, participants and schedule changes
(BID-1, BID-6, ERR-3, SOP 3.5).

Times are aware datetimes stored in UTC and shown in WIB. The current stage of a
tender is never stored: it is read from the clock over its stages.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lpse.sop.selectors import HasSopCase

from .choices import (
    STAGE_POSITION,
    AnnouncementKind,
    Category,
    DocumentKind,
    EvaluationOutcome,
    Method,
    Qualification,
    ScheduleChangeStatus,
    StageKind,
    TenderStatus,
    TransitionKind,
)


def tender_name_key(name: str) -> str:
    """The searchable form of a tender name: lower case, single spaces."""
    return " ".join((name or "").lower().split())[:500]


class CodeCounter(models.Model):
    """A named counter, incremented under a row lock: tender codes are never handed out twice."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Tender(models.Model):
    """A procurement package (paket) with its schedule (BID-1)."""

    code = models.CharField(_("kode tender"), max_length=20, unique=True)
    name = models.CharField(_("nama paket"), max_length=500)
    #: Lower-cased name for the public search (BID-5).
    name_key = models.CharField(max_length=500, editable=False, default="")
    work_unit = models.ForeignKey(
        "accounts.WorkUnit",
        on_delete=models.PROTECT,
        related_name="tenders",
        verbose_name=_("satuan kerja"),
    )
    budget_year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    ceiling = models.DecimalField(
        _("nilai pagu paket"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    hps = models.DecimalField(_("nilai HPS"), max_digits=18, decimal_places=2)
    method = models.CharField(_("metode pengadaan"), max_length=30, choices=Method.choices)
    category = models.CharField(_("jenis pengadaan"), max_length=30, choices=Category.choices)
    qualification = models.CharField(
        _("metode kualifikasi"),
        max_length=10,
        choices=Qualification.choices,
        default=Qualification.POST,
    )
    qualification_requirements = models.TextField(_("syarat kualifikasi"), blank=True)
    location = models.TextField(
        _("lokasi pekerjaan"), blank=True, help_text=_("Satu lokasi per baris.")
    )
    description = models.TextField(_("uraian singkat pekerjaan"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TenderStatus.choices, default=TenderStatus.DRAFT
    )
    ppk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ppk_tenders",
        verbose_name=_("PPK"),
    )
    #: The PPK's acceptance of the integrity pact for this tender (BID-1): text version + time.
    ppk_pact_version = models.CharField(max_length=20, blank=True)
    ppk_pact_accepted_at = models.DateTimeField(null=True, blank=True)
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommitteeMember",
        related_name="committee_tenders",
        verbose_name=_("Pokja Pemilihan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    announced_at = models.DateTimeField(_("diumumkan pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    is_demo = models.BooleanField(
        _("data demo"), default=False, help_text=_("Dibuat oleh `lpse demo`; bukan data nyata.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tender")
        verbose_name_plural = _("tender")
        indexes = [
            models.Index(fields=["status", "budget_year"], name="tender_status_year_idx"),
            models.Index(fields=["work_unit", "status"], name="tender_unit_idx"),
            models.Index(fields=["category", "status"], name="tender_category_idx"),
            models.Index(
                fields=["name_key"],
                name="tender_name_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["code"], name="tender_code_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["method", "status"], name="tender_method_idx"),
            models.Index(fields=["hps"], name="tender_hps_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_key = tender_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    # --- read helpers (use prefetched stages: no query when `stages` was prefetched) ----------

    @property
    def is_public(self) -> bool:
        """Announced once (it stays public when it closes or is cancelled afterwards)."""
        return self.announced_at is not None and self.status != TenderStatus.DRAFT

    @property
    def is_tender_method(self) -> bool:
        from .choices import method_is_tender

        return method_is_tender(self.method)

    def stage_list(self) -> list[Stage]:
        return sorted(self.stages.all(), key=lambda s: s.position)

    def stage(self, kind: str) -> Stage | None:
        for stage in self.stages.all():
            if stage.kind == kind:
                return stage
        return None

    def current_stage(self, now: datetime | None = None) -> Stage | None:
        """The running stage (the latest in order if windows overlap); None when none runs,
        the tender is not announced, or it ended."""
        if self.status != TenderStatus.ANNOUNCED:
            return None
        now = now or timezone.now()
        running = [s for s in self.stage_list() if s.starts_at <= now < s.ends_at]
        return running[-1] if running else None

    def next_stage(self, now: datetime | None = None) -> Stage | None:
        now = now or timezone.now()
        for stage in self.stage_list():
            if stage.starts_at > now:
                return stage
        return None

    def is_in_stage(self, kind: str, now: datetime | None = None) -> bool:
        if self.status != TenderStatus.ANNOUNCED:
            return False
        now = now or timezone.now()
        stage = self.stage(kind)
        return stage is not None and stage.starts_at <= now < stage.ends_at

    def stage_label(self, now: datetime | None = None) -> str:
        """What SPSE shows as "Tahap": the running stage, or the tender's state."""
        if self.status == TenderStatus.DRAFT:
            return gettext("Belum diumumkan")
        if self.status == TenderStatus.CANCELLED:
            return gettext("Tender Batal")
        if self.status == TenderStatus.CLOSED:
            return gettext("Tender Sudah Selesai")
        now = now or timezone.now()
        current = self.current_stage(now)
        if current is not None:
            return current.get_kind_display()
        upcoming = self.next_stage(now)
        if upcoming is not None:
            return gettext("Menunggu %(stage)s") % {"stage": upcoming.get_kind_display()}
        return gettext("Jadwal selesai, menunggu penutupan")


class Stage(models.Model):
    """One stage of a tender's schedule (BID-1)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("tahap"), max_length=30, choices=StageKind.choices)
    position = models.PositiveSmallIntegerField(editable=False, default=0)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("sampai"))

    class Meta:
        ordering = ["tender", "position"]
        verbose_name = _("tahap jadwal")
        verbose_name_plural = _("jadwal")
        constraints = [
            models.UniqueConstraint(fields=["tender", "kind"], name="stage_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="stage_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["kind", "ends_at"], name="tenders_stage_kind_end_idx")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.position = STAGE_POSITION[self.kind]
        super().save(*args, **kwargs)

    def state(self, now: datetime | None = None) -> str:
        """'ended', 'running' or 'upcoming'."""
        now = now or timezone.now()
        if now >= self.ends_at:
            return "ended"
        if now >= self.starts_at:
            return "running"
        return "upcoming"


class CommitteeMember(models.Model):
    """A member of the tender's selection working group (Pokja Pemilihan/ULP)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats"
    )
    is_chair = models.BooleanField(_("ketua"), default=False)
    added_at = models.DateTimeField(default=timezone.now)
    #: The member's acceptance of the integrity pact for this tender (BID-1).
    pact_version = models.CharField(_("versi pakta integritas"), max_length=20, blank=True)
    pact_accepted_at = models.DateTimeField(
        _("pakta integritas disetujui pada"), null=True, blank=True
    )

    class Meta:
        ordering = ["-is_chair", "pk"]
        verbose_name = _("anggota Pokja")
        verbose_name_plural = _("anggota Pokja")
        constraints = [
            models.UniqueConstraint(fields=["tender", "user"], name="committee_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.user}"


class TenderDocument(models.Model):
    """The tender document and its addenda; files stored like company documents (SEC-3)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("judul"), max_length=300)
    original_name = models.CharField(_("nama berkas asal"), max_length=255)
    stored_name = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    detected_type = models.CharField(_("jenis berkas"), max_length=10)
    mime_type = models.CharField(max_length=50)
    md5 = models.CharField("MD5", max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("dokumen tender")
        verbose_name_plural = _("dokumen tender")

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A vendor that joined a tender, with the committee's evaluation (BID-1)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="participants")
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="participations"
    )
    joined_at = models.DateTimeField(_("mendaftar pada"), default=timezone.now)
    #: The integrity pact (Pakta Integritas) the vendor accepted when joining: text version + time.
    pact_version = models.CharField(_("versi pakta integritas"), max_length=20, blank=True)
    pact_accepted_at = models.DateTimeField(
        _("pakta integritas disetujui pada"), null=True, blank=True
    )
    bid_price = models.DecimalField(
        _("harga penawaran"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    corrected_price = models.DecimalField(
        _("harga terkoreksi"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    qualification_passed = models.BooleanField(_("lulus kualifikasi"), null=True, blank=True)
    technical_passed = models.BooleanField(_("lulus teknis"), null=True, blank=True)
    price_passed = models.BooleanField(_("lulus harga"), null=True, blank=True)
    outcome = models.CharField(
        _("hasil evaluasi"), max_length=10, choices=EvaluationOutcome.choices, blank=True
    )
    reasons = models.TextField(_("alasan"), blank=True)
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    is_winner = models.BooleanField(_("pemenang"), default=False)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("dievaluasi pada"), null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [
            models.UniqueConstraint(fields=["tender", "vendor"], name="participant_unique"),
            models.UniqueConstraint(
                fields=["tender"],
                condition=models.Q(is_winner=True),
                name="one_winner_per_tender",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.vendor_id}"


class Question(models.Model):
    """A clarification question (aanwijzing) from a participant and the committee's answer."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("pertanyaan"))
    asked_at = models.DateTimeField(_("ditanyakan pada"), default=timezone.now)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("pertanyaan penjelasan")
        verbose_name_plural = _("pertanyaan penjelasan")

    def __str__(self) -> str:
        return self.text[:60]


class Objection(models.Model):
    """An objection (sanggah) filed by a participant during its stage, and the answer."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="objections")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="objections"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("isi sanggahan"))
    filed_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("sanggahan")
        verbose_name_plural = _("sanggahan")

    def __str__(self) -> str:
        return self.text[:60]


class ScheduleChange(HasSopCase, models.Model):
    """A request to change a tender's schedule and its decision (ERR-3, SOP 3.5).

    `before`/`after` are lists of {"kind", "starts_at", "ends_at"} in ISO 8601 UTC.
    """

    SOP_CODE = "3.5"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="schedule_changes")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ScheduleChangeStatus.choices,
        default=ScheduleChangeStatus.PENDING,
    )
    reason = models.TextField(_("alasan perubahan"))
    before = models.JSONField(_("jadwal sebelum"))
    after = models.JSONField(_("jadwal menjadi"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    requested_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterima oleh"),
    )
    received_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("perubahan jadwal")
        verbose_name_plural = _("perubahan jadwal")
        indexes = [models.Index(fields=["status", "requested_at"], name="schedchange_queue_idx")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status == ScheduleChangeStatus.PENDING

    def changed_kinds(self) -> list[str]:
        """The stage kinds whose times differ between before and after."""
        before = {row["kind"]: (row["starts_at"], row["ends_at"]) for row in self.before}
        return [
            row["kind"]
            for row in self.after
            if before.get(row["kind"]) != (row["starts_at"], row["ends_at"])
        ]


class Announcement(models.Model):
    """A public announcement of a tender: the announcement, addenda, winner, changes, closing."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(_("jenis"), max_length=20, choices=AnnouncementKind.choices)
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    published_at = models.DateTimeField(_("diumumkan pada"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")

    def __str__(self) -> str:
        return self.title


class TenderTransition(models.Model):
    """One state change of a tender or of something in it (STYLE 4): the history."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(_("jenis"), max_length=20, choices=TransitionKind.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    from_state = models.CharField(_("dari"), max_length=30, blank=True)
    to_state = models.CharField(_("menjadi"), max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(_("pada"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat tender")
        verbose_name_plural = _("riwayat tender")
        indexes = [models.Index(fields=["tender", "at"], name="tender_transition_idx")]

    def __str__(self) -> str:
        return f"{self.tender_id} {self.kind} {self.from_state}->{self.to_state}"
