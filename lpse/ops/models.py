"""Operations console data (MON-1..MON-7): probe runs, thresholds, incidents, tokens.

Samples are stored compactly: one `ProbeRun` row per run of a probe, its values a
JSON object `{series key: number}` where the series key is the metric name with
its labels (`filesystem_used_ratio{mountpoint="/"}`, see `lpse.ops.series`).
After `LPSE_OPS_RAW_DAYS` the runs are averaged into one `HourlySample` row per
probe and hour, kept for `LPSE_OPS_HOURLY_DAYS`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Direction, IncidentStatus, Level


class ProbeConfig(models.Model):
    """The sysadmin's schedule of one probe kind (created from the registry on first use)."""

    kind = models.CharField(_("jenis"), max_length=30, unique=True)
    enabled = models.BooleanField(_("aktif"), default=True)
    interval_seconds = models.PositiveIntegerField(_("selang (detik)"))
    last_run_at = models.DateTimeField(_("terakhir dijalankan"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("pengaturan pemeriksaan")
        verbose_name_plural = _("pengaturan pemeriksaan")

    def __str__(self) -> str:
        return self.kind


class ProbeRun(models.Model):
    """One run of one probe: its typed values and the worst level it saw."""

    kind = models.CharField(_("jenis"), max_length=30)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    ok = models.BooleanField(_("berhasil"), default=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, default=Level.OK)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    values = models.JSONField(_("nilai"), default=dict)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("hasil pemeriksaan")
        verbose_name_plural = _("hasil pemeriksaan")
        indexes = [models.Index(fields=["kind", "at"], name="ops_run_kind_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class HourlySample(models.Model):
    """The hourly averages of one probe's runs older than the raw retention."""

    kind = models.CharField(_("jenis"), max_length=30)
    hour = models.DateTimeField(_("jam"))
    values = models.JSONField(_("rata-rata"), default=dict)
    runs = models.PositiveIntegerField(_("jumlah pemeriksaan"), default=0)

    class Meta:
        ordering = ["-hour"]
        verbose_name = _("sampel per jam")
        verbose_name_plural = _("sampel per jam")
        constraints = [
            models.UniqueConstraint(fields=["kind", "hour"], name="ops_hourly_kind_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hour:%Y-%m-%d %H:00}"


class Threshold(models.Model):
    """Warning/critical bounds of one metric, with hysteresis (in the metric's base unit)."""

    metric = models.CharField(_("metrik"), max_length=80, unique=True)
    direction = models.CharField(
        _("arah"), max_length=10, choices=Direction.choices, default=Direction.ABOVE
    )
    warning = models.FloatField(_("batas peringatan"), null=True, blank=True)
    critical = models.FloatField(_("batas kritis"), null=True, blank=True)
    margin = models.FloatField(_("margin pemulihan"), default=0)
    enabled = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["metric"]
        verbose_name = _("ambang batas")
        verbose_name_plural = _("ambang batas")

    def __str__(self) -> str:
        return self.metric


class Incident(models.Model):
    """A condition that crossed a threshold: opened, escalated, reminded, closed (MON-2)."""

    key = models.CharField(_("kunci kondisi"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    #: The worst level reached while open.
    peak_level = models.CharField(_("tingkat tertinggi"), max_length=10, choices=Level.choices)
    title = models.CharField(_("judul"), max_length=300)
    value = models.FloatField(_("nilai terakhir"), null=True, blank=True)
    detail = models.TextField(_("rincian"), blank=True)
    evidence_url = models.CharField(_("tautan bukti"), max_length=500, blank=True)
    roles = models.JSONField(_("peran yang diberi tahu"), default=list)
    opened_at = models.DateTimeField(_("dibuka"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("terakhir terlihat"), default=timezone.now)
    last_notified_at = models.DateTimeField(_("terakhir diberitahukan"), null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(_("pengingat terkirim"), default=0)
    #: The sysadmin took it on: no more reminders while it stays at this level.
    acknowledged_at = models.DateTimeField(_("ditangani sejak"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    acknowledgement = models.CharField(_("catatan penanganan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("insiden")
        verbose_name_plural = _("insiden")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="open"), name="ops_one_open_incident_per_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="ops_incident_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN

    @property
    def duration(self):
        return (self.closed_at or timezone.now()) - self.opened_at


class IncidentTransition(models.Model):
    """One level move of an incident (STYLE practice 4): open, escalate, de-escalate, close."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    from_level = models.CharField(_("dari"), max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(_("menjadi"), max_length=10, choices=Level.choices)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    value = models.FloatField(_("nilai"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("perpindahan tingkat insiden")
        verbose_name_plural = _("perpindahan tingkat insiden")

    def __str__(self) -> str:
        return f"{self.from_level or '-'} -> {self.to_level}"


class MetricsToken(models.Model):
    """A bearer token for `/metrics` (MON-6). Only its SHA-256 is stored; shown once."""

    name = models.CharField(_("nama"), max_length=100)
    token_hash = models.CharField(_("hash token"), max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=8)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token metrik")
        verbose_name_plural = _("token metrik")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Heartbeat(models.Model):
    """The task-queue consumer writes its time here every minute (queue probe, /readyz)."""

    name = models.CharField(max_length=30, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("detak pekerja")
        verbose_name_plural = _("detak pekerja")

    def __str__(self) -> str:
        return f"{self.name} {self.at}"


class UptimeMonth(models.Model):
    """Runs and answered runs of one `*_up` series in one month (uptime per check, MON-2)."""

    series = models.CharField(_("deret"), max_length=200)
    month = models.DateField(_("bulan"))
    runs = models.PositiveIntegerField(_("pemeriksaan"), default=0)
    up_runs = models.PositiveIntegerField(_("pemeriksaan berhasil"), default=0)

    class Meta:
        ordering = ["-month", "series"]
        verbose_name = _("ketersediaan bulanan")
        verbose_name_plural = _("ketersediaan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["series", "month"], name="ops_uptime_series_month"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.month:%Y-%m}"

    @property
    def ratio(self) -> float | None:
        return self.up_runs / self.runs if self.runs else None
