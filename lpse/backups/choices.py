"""Statuses of backup runs and results of verification (BAK-1..BAK-3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Berjalan")
    COMPLETE = "complete", _("Selesai")
    FAILED = "failed", _("Gagal")
    NOT_CONFIGURED = "not_configured", _("Tujuan belum diatur")


#: status -> the statuses a run may move to from it.
TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.RUNNING: frozenset({RunStatus.COMPLETE, RunStatus.FAILED}),
    RunStatus.COMPLETE: frozenset(),
    RunStatus.FAILED: frozenset(),
    RunStatus.NOT_CONFIGURED: frozenset(),
}


class VerifyResult(models.TextChoices):
    UNVERIFIED = "unverified", _("Belum diperiksa")
    OK = "ok", _("Utuh")
    #: Encrypted and no key on the server: every stored byte checked, contents not opened.
    STORED_OK = "stored_ok", _("Utuh (isi terenkripsi tidak dibuka)")
    FAILED = "failed", _("Rusak atau hilang")
    UNREADABLE = "unreadable", _("Tidak dapat dibaca")


#: Results that count as a verified backup.
GOOD_RESULTS = frozenset({VerifyResult.OK, VerifyResult.STORED_OK})


class Trigger(models.TextChoices):
    COMMAND = "command", _("Perintah lpse backup")
    SCHEDULE = "schedule", _("Jadwal otomatis")
