"""The SOP registry (SOP-1) and the cases that follow it, step by step (SOP-2, SOP-3).

A `Procedure` is one SOP of the appendix of Perbup Tangerang 40/2011 with its
header fields and ordered `Step`s; `ProcedureRevision` keeps a full snapshot of
every version (revision 1 is the appendix as loaded, later ones the head's
edits). A `Case` is one piece of work that follows a procedure (a registration,
a ticket, ...) and each `StepRun` the start and end of one step in it, which
is the step timing the service levels are measured on.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import CaseStatus
from .standards import StandardKind, TimeStandard, parse_time_standard


class Procedure(models.Model):
    """One SOP as the appendix states it (Indonesian text), editable by the head."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    flow_code = models.CharField(_("kode alur"), max_length=10, blank=True)
    chapter = models.CharField(_("bab"), max_length=10)
    chapter_title = models.CharField(_("judul bab"), max_length=300)
    title = models.TextField(_("judul"))
    source_title = models.TextField(_("judul pada sumber"), blank=True)
    activity = models.TextField(_("kegiatan"), blank=True)
    flow_title = models.TextField(_("judul alur proses"), blank=True)
    issuer = models.CharField(_("penerbit"), max_length=300, blank=True)
    number = models.CharField(_("nomor SOP"), max_length=100, blank=True)
    created_on = models.DateField(_("tanggal pembuatan"), null=True, blank=True)
    revised_on = models.DateField(_("tanggal revisi"), null=True, blank=True)
    effective_on = models.DateField(_("tanggal efektif"), null=True, blank=True)
    approved_by = models.CharField(_("disahkan oleh"), max_length=300, blank=True)
    regulation = models.CharField(_("peraturan"), max_length=300, blank=True)
    appendix_date = models.DateField(_("tanggal lampiran"), null=True, blank=True)
    legal_basis = models.JSONField(_("dasar hukum"), default=list, blank=True)
    related_text = models.TextField(_("keterkaitan"), blank=True)
    related_codes = models.JSONField(_("SOP terkait"), default=list, blank=True)
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    executor_qualification = models.TextField(_("kualifikasi pelaksana"), blank=True)
    equipment = models.TextField(_("peralatan/perlengkapan"), blank=True)
    recording_duty = models.TextField(_("pencatatan dan pendataan"), blank=True)
    period = models.CharField(_("waktu efektif"), max_length=100, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=1)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")

    def __str__(self) -> str:
        return f"SOP {self.code} {self.short_title}"

    @property
    def short_title(self) -> str:
        """The activity when the title is a generic heading (Lampiran V, VI)."""
        return self.activity or self.title


class Step(models.Model):
    """One row of a procedure's flow table, with its time standard parsed for queries."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("SOP")
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    group = models.CharField(_("butir"), max_length=20, blank=True)
    group_title = models.CharField(_("kelompok"), max_length=300, blank=True)
    description = models.TextField(_("uraian kegiatan"))
    executors = models.JSONField(_("pelaksana"), default=list, blank=True)
    requirements = models.TextField(_("persyaratan/kelengkapan"), blank=True)
    time_text = models.CharField(_("waktu"), max_length=300, blank=True)
    output = models.TextField(_("output"), blank=True)
    standard_kind = models.CharField(
        _("jenis standar waktu"), max_length=20, choices=StandardKind.choices
    )
    standard_min = models.DurationField(_("waktu minimum"), null=True, blank=True)
    standard_max = models.DurationField(_("waktu maksimum"), null=True, blank=True)
    standard_working = models.BooleanField(_("diukur dalam waktu kerja"), default=False)
    standard_hours = models.CharField(_("jam kerja standar"), max_length=20, blank=True)

    class Meta:
        ordering = ["procedure", "number"]
        verbose_name = _("langkah SOP")
        verbose_name_plural = _("langkah SOP")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="sop_step_unique_number")
        ]
        indexes = [models.Index(fields=["standard_kind"], name="sop_step_kind")]

    def __str__(self) -> str:
        return gettext("Langkah %(number)s") % {"number": self.label}

    @property
    def label(self) -> str:
        """The step's number as the appendix prints it ("1.a.1" in Lampiran V)."""
        return self.group or str(self.number)

    @property
    def standard(self) -> TimeStandard:
        return parse_time_standard(self.time_text)

    def apply_standard(self) -> None:
        """Store the parsed time standard next to the text (raises ValueError if unknown)."""
        standard = self.standard
        self.standard_kind = standard.kind
        self.standard_min = standard.minimum
        self.standard_max = standard.maximum
        self.standard_working = standard.working
        self.standard_hours = standard.hours or ""

    @property
    def target_label(self) -> str:
        return describe_standard(self.standard)

    def executor(self, index: int) -> str:
        return self.executors[index] if index < len(self.executors) else ""


def _amount(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        return gettext("%(n)d jam") % {"n": minutes // 60}
    return gettext("%(n)d menit") % {"n": minutes}


def describe_standard(standard: TimeStandard) -> str:
    """The machine target of a time standard in words: "maks. 30 menit", "7 hari kerja"."""
    kind = standard.kind
    if kind == StandardKind.DURATION:
        return gettext("maks. %(amount)s") % {"amount": _amount(standard.maximum)}
    if kind == StandardKind.WORKING_DAYS:
        return gettext("%(n)d hari kerja") % {"n": standard.maximum.days}
    if kind == StandardKind.WORKING_HOURS:
        if standard.hours:
            return gettext("hari kerja yang sama, sampai pukul %(end)s") % {
                "end": standard.hours.split("-")[1].replace(":", ".")
            }
        return gettext("hari kerja yang sama, sampai akhir jam kerja")
    if kind == StandardKind.IMMEDIATE:
        return gettext("segera: hari kerja yang sama")
    if kind == StandardKind.SCHEDULE:
        return gettext("jadwal tetap, tanpa batas durasi")
    return gettext("tanpa target")


class ProcedureRevision(models.Model):
    """A full snapshot (header and steps) of one version of a procedure (SOP-1)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("SOP")
    )
    number = models.PositiveIntegerField(_("revisi"))
    content = models.JSONField(_("isi"))
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    note = models.TextField(_("catatan revisi"))

    class Meta:
        ordering = ["procedure", "-number"]
        verbose_name = _("revisi SOP")
        verbose_name_plural = _("revisi SOP")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="sop_revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"SOP {self.procedure.code} rev. {self.number}"


class Case(models.Model):
    """One piece of work handled along a procedure (SOP-2): a registration, a ticket, ..."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="cases", verbose_name=_("SOP")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("jenis objek")
    )
    object_id = models.CharField(_("ID objek"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("judul"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("dibuka pada"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    outcome = models.CharField(_("hasil"), max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("kasus SOP")
        verbose_name_plural = _("kasus SOP")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="sop_case_subject"),
            models.Index(fields=["procedure", "status"], name="sop_case_procedure_status"),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Kasus SOP %(code)s #%(pk)s") % {
            "code": self.procedure.code,
            "pk": self.pk,
        }

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class StepRun(models.Model):
    """One run of one step in a case: who started and ended it, when, and its target."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="runs", verbose_name=_("kasus")
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="runs", verbose_name=_("langkah")
    )
    started_at = models.DateTimeField(_("mulai"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimulai oleh"),
    )
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("pelaksanaan langkah")
        verbose_name_plural = _("pelaksanaan langkah")
        indexes = [
            # The at-risk list: running steps by deadline (SOP-3).
            models.Index(
                fields=["due_at"],
                condition=Q(ended_at__isnull=True),
                name="sop_steprun_running_due",
            ),
            # Compliance: finished runs of a step in a period.
            models.Index(fields=["step", "ended_at"], name="sop_steprun_step_ended"),
            models.Index(fields=["case", "step"], name="sop_steprun_case_step"),
        ]

    def __str__(self) -> str:
        return f"{self.case} - {self.step}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def within_standard(self) -> bool | None:
        """True/False once finished against its target; None without a target or still running."""
        if self.due_at is None or self.ended_at is None:
            return None
        return self.ended_at <= self.due_at
