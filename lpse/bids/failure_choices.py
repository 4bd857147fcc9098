"""Statuses and codes of the failed-opening procedure (ERR-1, SOP 3.1, Pasal 9(2)).

A request (permohonan) goes: filed by the committee (SOP 3.1 step 1) -> handling by
LPSE staff, who try to open each file (step 2, 5-15 minutes) -> closed when every file
opened, else handled (the witness report is made) -> escalated to LKPP (step 3, 1-5
minutes) -> closed once LKPP answered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    FILED = "filed", _("Diajukan ke Kepala LPSE")
    HANDLING = "handling", _("Ditangani staf LPSE")
    HANDLED = "handled", _("Selesai ditangani; menunggu dikirim ke LKPP")
    ESCALATED = "escalated", _("Diteruskan ke LKPP")
    CLOSED = "closed", _("Selesai")


#: Allowed moves (STYLE practice 5); each writes a FailedOpeningTransition row.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.FILED: frozenset({RequestStatus.HANDLING}),
    RequestStatus.HANDLING: frozenset({RequestStatus.HANDLED, RequestStatus.CLOSED}),
    RequestStatus.HANDLED: frozenset({RequestStatus.ESCALATED}),
    RequestStatus.ESCALATED: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in REQUEST_TRANSITIONS.get(current, frozenset())


class RequestChannel(models.TextChoices):
    """How the committee's request reached the head of LPSE (SOP 3.1 step 1)."""

    SYSTEM = "system", _("Melalui sistem (halaman pembukaan)")
    LETTER = "letter", _("Surat dengan CD")
    EMAIL = "email", _("E-mail dengan lampiran")


class FileSource(models.TextChoices):
    SYSTEM = "system", _("Penawaran di sistem")
    UPLOAD = "upload", _("Berkas diunggah (CD/e-mail)")


class Diagnosis(models.TextChoices):
    """What the automatic diagnosis found (diagnosis.py)."""

    OPENABLE = "openable", _("Amplop utuh; terbuka dengan kunci tender")
    INTACT = "intact", _("Amplop utuh dan ditujukan ke kunci tender ini")
    FINGERPRINT_MISMATCH = "fingerprint_mismatch", _("Sidik jari tidak sesuai tanda terima")
    TRUNCATED = "truncated", _("Berkas terpotong")
    NOT_CMS = "not_cms", _("Bukan amplop CMS")
    UNSUPPORTED = "unsupported", _("Jenis amplop/algoritma tidak didukung")
    WRONG_RECIPIENT = "wrong_recipient", _("Disegel untuk kunci/tender lain")
    TAMPERED = "tampered", _("Tag/padding gagal: berkas rusak atau diubah")
    SIGNATURE_INVALID = "signature_invalid", _("Tanda tangan penyedia tidak sah")
    MISSING_FILE = "missing_file", _("Berkas tidak ditemukan")
    EMPTY = "empty", _("Berkas kosong")


#: Diagnoses after which the file is known good (it opens, or nothing is wrong with it).
GOOD_DIAGNOSES = frozenset({Diagnosis.OPENABLE, Diagnosis.INTACT})


class FileOutcome(models.TextChoices):
    PENDING = "pending", _("Belum dicoba")
    OPENED = "opened", _("Berhasil dibuka")
    FAILED = "failed", _("Tetap gagal dibuka")
    ESCALATED = "escalated", _("Diteruskan ke LKPP")


class AttemptOutcome(models.TextChoices):
    OPENED = "opened", _("Berhasil dibuka")
    FAILED = "failed", _("Tetap gagal dibuka")


class RequestResult(models.TextChoices):
    """The outcome the case closes with."""

    ALL_OPENED = "all_opened", _("Semua berkas berhasil dibuka oleh LPSE")
    LKPP_OPENED = "lkpp_opened", _("Berkas dibuka dengan bantuan LKPP")
    NOT_OPENED = "not_opened", _("Berkas tidak dapat dibuka (dinyatakan gagal)")
