"""The backup register (BAK-1, BAK-2): media, where they are kept, each backup run
and each verification.

A `Medium` is a portable disk (or share) by its label; `MediumMove` rows say
where it was taken and by whom (Pasal 14: kept apart from the server room). A
`BackupRun` is one backup written to a medium; each status change writes a
`RunTransition`, each verification a `Verification`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RunStatus, Trigger, VerifyResult


class Medium(models.Model):
    label = models.CharField(_("label media"), max_length=100, unique=True)
    medium_id = models.CharField(_("ID media"), max_length=36, blank=True)
    location = models.CharField(_("lokasi penyimpanan"), max_length=200, blank=True)
    location_since = models.DateTimeField(_("di lokasi sejak"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        ordering = ["label"]
        verbose_name = _("media cadangan")
        verbose_name_plural = _("media cadangan")

    def __str__(self) -> str:
        return self.label


class MediumMove(models.Model):
    medium = models.ForeignKey(Medium, on_delete=models.CASCADE, related_name="moves")
    from_location = models.CharField(_("dari"), max_length=200, blank=True)
    to_location = models.CharField(_("ke"), max_length=200)
    moved_by_name = models.CharField(_("dipindahkan oleh"), max_length=150)
    moved_at = models.DateTimeField(_("waktu pindah"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        ordering = ["-moved_at", "-pk"]
        verbose_name = _("perpindahan media")
        verbose_name_plural = _("perpindahan media")

    def __str__(self) -> str:
        return f"{self.medium} -> {self.to_location}"


class BackupRun(models.Model):
    backup_id = models.CharField(_("ID cadangan"), max_length=40, blank=True, db_index=True)
    medium = models.ForeignKey(
        Medium, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    target = models.CharField(_("tujuan"), max_length=500, blank=True)
    trigger = models.CharField(_("pemicu"), max_length=10, choices=Trigger.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    members = models.PositiveIntegerField(_("jumlah anggota"), default=0)
    size = models.BigIntegerField(_("ukuran data"), default=0)
    stored_size = models.BigIntegerField(_("ukuran di media"), default=0)
    new_stored_size = models.BigIntegerField(_("baru ditulis"), default=0)
    new_objects = models.PositiveIntegerField(_("objek baru"), default=0)
    includes_secrets = models.BooleanField(_("termasuk rahasia"), default=False)
    encryption = models.CharField(_("enkripsi"), max_length=20, blank=True)
    error = models.TextField(_("galat"), blank=True)
    verify_result = models.CharField(
        _("hasil pemeriksaan"),
        max_length=12,
        choices=VerifyResult.choices,
        default=VerifyResult.UNVERIFIED,
    )
    verified_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("cadangan")
        verbose_name_plural = _("cadangan")

    def __str__(self) -> str:
        return self.backup_id or f"#{self.pk}"


class RunTransition(models.Model):
    run = models.ForeignKey(BackupRun, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=RunStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RunStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.run}: {self.from_status} -> {self.to_status}"


class Verification(models.Model):
    run = models.ForeignKey(BackupRun, on_delete=models.CASCADE, related_name="verifications")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    result = models.CharField(_("hasil"), max_length=12, choices=VerifyResult.choices)
    members = models.PositiveIntegerField(_("anggota diperiksa"), default=0)
    bytes_checked = models.BigIntegerField(_("bita dibaca"), default=0)
    #: [{"member": name, "code": missing|corrupt|locked, "message": ...}]
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pemeriksaan cadangan")
        verbose_name_plural = _("pemeriksaan cadangan")

    def __str__(self) -> str:
        return f"{self.run}: {self.result}"
