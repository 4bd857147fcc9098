"""Facility, maintenance and reference data of the LPSE (MON-5, MNT-1, MNT-2, INF-1..INF-3).

* `MaintenanceWindow`: an announced maintenance period; the banner and the
  read-only mode follow from it (MON-5, Pasal 12(4)).
* `MaintenanceCycle` / `MaintenanceItem`: the Lampiran V table (SOP 5.1) as a
  recurring checklist per responsible role (MNT-1).
* `VisitRequest` / `VisitTransition`: server-room access (INF-1, Pasal 11(4)).
* `Inspection`: one inspection of a data-centre item of Lampiran IV (INF-2);
  the items themselves are data (`data/inspection_items.yaml`).
* `Sensor` / `Reading` / `EnvCondition`: environment readings (INF-3).
* `News`, `PriceIndexEntry`, `ItemCategory`: reference data (MNT-2).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.accounts.choices import Role
from lpse.sop.selectors import HasSopCase

from .choices import IdentityType, ItemStatus, Quantity, VisitStatus, WindowStatus

USER = settings.AUTH_USER_MODEL


def _default_banner_hours() -> int:
    return settings.LPSE_MAINTENANCE_BANNER_HOURS


class MaintenanceWindow(models.Model):
    """An announced maintenance of the SPSE server or other equipment (MON-5)."""

    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    services = models.CharField(_("layanan yang terdampak"), max_length=300)
    message = models.TextField(_("pesan pengumuman"))
    read_only = models.BooleanField(_("mode baca-saja selama pemeliharaan"), default=False)
    banner_hours = models.PositiveSmallIntegerField(
        _("tampilkan pengumuman sejak (jam sebelum mulai)"), default=_default_banner_hours
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WindowStatus.choices, default=WindowStatus.SCHEDULED
    )
    #: Tenders whose bid upload stage ends inside the window, as the admin confirmed them.
    overlapping_tenders = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("jadwal pemeliharaan")
        verbose_name_plural = _("jadwal pemeliharaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="facility_window_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="facility_window_status_end")]

    def __str__(self) -> str:
        return f"{self.services} ({timezone.localtime(self.starts_at):%d-%m-%Y %H.%M})"

    @property
    def banner_from(self) -> datetime:
        return self.starts_at - timedelta(hours=self.banner_hours)

    @property
    def effective_end(self) -> datetime:
        if self.status == WindowStatus.ENDED and self.closed_at:
            return min(self.closed_at, self.ends_at)
        return self.ends_at

    def is_running(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == WindowStatus.SCHEDULED and self.starts_at <= now < self.ends_at


class MaintenanceCycle(HasSopCase, models.Model):
    """One run of the Lampiran V checklist (MNT-1): items due within 7 working days.

    Each cycle is a case of SOP 5.1 (SOP-2): every item's step runs from the cycle's
    creation until the item is ticked, and the case closes when all are ticked."""

    SOP_CODE = "5.1"

    starts_on = models.DateField(_("mulai"), unique=True)
    due_on = models.DateField(_("batas waktu"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overdue_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("siklus pemeliharaan")
        verbose_name_plural = _("siklus pemeliharaan")

    def __str__(self) -> str:
        return f"{self.starts_on:%d-%m-%Y} - {self.due_on:%d-%m-%Y}"


class MaintenanceItem(models.Model):
    """One row of the Lampiran V table in one cycle, for one responsible role (MNT-1)."""

    cycle = models.ForeignKey(MaintenanceCycle, on_delete=models.CASCADE, related_name="items")
    step = models.ForeignKey("sop.Step", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("butir"), max_length=20)
    group_title = models.CharField(_("kelompok"), max_length=300, blank=True)
    description = models.TextField(_("kegiatan"))
    executor_text = models.CharField(_("pelaksana pada SOP"), max_length=200, blank=True)
    role = models.CharField(_("peran penanggung jawab"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    probe_kind = models.CharField(max_length=30, blank=True)
    observed_level = models.CharField(max_length=20, blank=True)
    observed_summary = models.TextField(blank=True)
    observed_url = models.CharField(max_length=500, blank=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "step__number"]
        verbose_name = _("butir pemeliharaan")
        verbose_name_plural = _("butir pemeliharaan")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="facility_item_unique_step")
        ]
        indexes = [models.Index(fields=["status", "role"], name="facility_item_status_role")]

    def __str__(self) -> str:
        return f"{self.label} {self.description[:60]}"


class VisitRequest(models.Model):
    """A request to enter the server room (INF-1, Pasal 11(4))."""

    visitor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengunjung (pengguna staf)"),
    )
    visitor_name = models.CharField(_("nama pengunjung"), max_length=150)
    identity_type = models.CharField(
        _("jenis identitas"), max_length=12, choices=IdentityType.choices
    )
    identity_number = models.CharField(_("nomor identitas"), max_length=50)
    organisation = models.CharField(_("instansi/perusahaan"), max_length=200)
    purpose = models.TextField(_("keperluan"))
    planned_start = models.DateTimeField(_("rencana masuk"))
    planned_end = models.DateTimeField(_("rencana selesai"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    entered_at = models.DateTimeField(_("waktu masuk"), null=True, blank=True)
    entry_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    left_at = models.DateTimeField(_("waktu keluar"), null=True, blank=True)
    exit_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("kunjungan ruang server")
        verbose_name_plural = _("kunjungan ruang server")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="facility_visit_plan_order",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-requested_at"], name="facility_visit_status"),
            models.Index(fields=["entered_at", "left_at"], name="facility_visit_times"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_name} ({self.organisation})"


class VisitTransition(models.Model):
    """One status change of a visit: its history (STYLE 4)."""

    visit = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=VisitStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=VisitStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_status or '-'} -> {self.to_status}"


class Inspection(models.Model):
    """One inspection of one data-centre item of Lampiran IV (INF-2)."""

    item_code = models.CharField(_("butir"), max_length=20)
    inspected_at = models.DateTimeField(_("diperiksa pada"), default=timezone.now)
    inspected_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    condition_ok = models.BooleanField(_("kondisi sesuai spesifikasi"))
    findings = models.TextField(_("temuan"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)

    class Meta:
        ordering = ["-inspected_at", "-pk"]
        verbose_name = _("pemeriksaan pusat data")
        verbose_name_plural = _("pemeriksaan pusat data")
        indexes = [models.Index(fields=["item_code", "-inspected_at"], name="facility_insp_item")]

    def __str__(self) -> str:
        return f"{self.item_code} {timezone.localtime(self.inspected_at):%d-%m-%Y}"


class Sensor(models.Model):
    """A device that pushes environment readings with its own bearer token (INF-3)."""

    name = models.CharField(_("nama sensor"), max_length=80, unique=True)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    #: SHA-256 (hex) of the token; the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=12)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sensor lingkungan")
        verbose_name_plural = _("sensor lingkungan")

    def __str__(self) -> str:
        return self.name


class Reading(models.Model):
    """One environment reading, pushed by a sensor or entered by hand (INF-3)."""

    sensor = models.ForeignKey(
        Sensor, on_delete=models.PROTECT, null=True, blank=True, related_name="readings"
    )
    place = models.CharField(_("lokasi"), max_length=80)
    quantity = models.CharField(_("besaran"), max_length=12, choices=Quantity.choices)
    value = models.FloatField(_("nilai"))
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    entered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pembacaan lingkungan")
        verbose_name_plural = _("pembacaan lingkungan")
        indexes = [
            models.Index(fields=["place", "quantity", "-at"], name="facility_reading_latest"),
            models.Index(fields=["-at"], name="facility_reading_at"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.quantity}={self.value}"


class EnvCondition(models.Model):
    """The alarm state of one place and quantity, for hysteresis (INF-3)."""

    key = models.CharField(max_length=120, unique=True)
    level = models.CharField(max_length=10)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key}: {self.level}"


class News(models.Model):
    """Procurement news shown on the public home page (MNT-2, Lampiran V 1.a.7)."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi berita"))
    published_at = models.DateTimeField(_("terbit pada"), default=timezone.now)
    is_published = models.BooleanField(_("tayang"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("berita pengadaan")
        verbose_name_plural = _("berita pengadaan")
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="facility_news_published")
        ]

    def __str__(self) -> str:
        return self.title


class ItemCategory(models.Model):
    """An item category (kategori barang, Lampiran V 1.a.9)."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("kategori induk"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kategori barang")
        verbose_name_plural = _("kategori barang")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PriceIndexEntry(models.Model):
    """A price index entry used as reference in evaluations (Indeks Harga, 1.a.8)."""

    item = models.CharField(_("barang/jasa"), max_length=200)
    category = models.ForeignKey(
        ItemCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("kategori barang"),
    )
    unit = models.CharField(_("satuan"), max_length=40)
    price = models.DecimalField(_("harga (Rp)"), max_digits=18, decimal_places=2)
    region = models.CharField(_("wilayah"), max_length=100)
    period = models.DateField(_("periode (bulan)"))
    source = models.CharField(_("sumber"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["item", "-period"]
        verbose_name = _("indeks harga")
        verbose_name_plural = _("indeks harga")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="facility_price_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.item} / {self.unit} ({self.period:%m-%Y})"
