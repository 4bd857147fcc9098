"""Statuses of tender keys, bids and openings, and the moves allowed (BID-2, BID-4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyMode(models.TextChoices):
    #: Generated on the server; the private key encrypted, its wrapping key split k-of-n.
    SERVER_SHARES = "server_shares", _("Kunci dibuat server, dibagi ke anggota Pokja")
    #: Generated offline by the committee with `lpse-seal keygen`; only the certificate here.
    OFFLINE_CERTIFICATE = "offline_certificate", _("Sertifikat dari kunci luring (lpse-seal)")


class BidStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Terkirim")
    SUPERSEDED = "superseded", _("Diganti")


BID_TRANSITIONS: dict[str, frozenset[str]] = {
    BidStatus.SUBMITTED: frozenset({BidStatus.SUPERSEDED}),
    BidStatus.SUPERSEDED: frozenset(),
}


def can_move_bid(current: str, new: str) -> bool:
    return new in BID_TRANSITIONS.get(current, frozenset())


class BidSource(models.TextChoices):
    BROWSER = "browser", _("Unggah peramban (disegel server)")
    PRESEALED = "presealed", _("Amplop tersegel (lpse-seal)")


class OpeningStatus(models.TextChoices):
    RUNNING = "running", _("Sedang dibuka")
    DONE = "done", _("Selesai")


OPENING_TRANSITIONS: dict[str, frozenset[str]] = {
    OpeningStatus.RUNNING: frozenset({OpeningStatus.DONE}),
    OpeningStatus.DONE: frozenset(),
}


class OpeningMethod(models.TextChoices):
    SHARES = "shares", _("Bagian kunci anggota Pokja")
    KEY_FILE = "key_file", _("Berkas kunci privat luring")


class OpeningOutcome(models.TextChoices):
    OPENED = "opened", _("Berhasil dibuka")
    FAILED = "failed", _("Gagal dibuka")


class FailureCode(models.TextChoices):
    """Why a bid did not open: the crypto module's SealError codes and two of ours."""

    NOT_CMS = "not_cms", _("Bukan amplop CMS")
    UNSUPPORTED = "unsupported", _("Jenis amplop/algoritma tidak didukung")
    WRONG_RECIPIENT = "wrong_recipient", _("Disegel untuk kunci lain")
    TRUNCATED = "truncated", _("Berkas terpotong")
    TAMPERED = "tampered", _("Berkas rusak atau diubah")
    FINGERPRINT_MISMATCH = "fingerprint_mismatch", _("Sidik jari tidak sesuai tanda terima")
    MISSING_FILE = "missing_file", _("Berkas tidak ditemukan")
    OTHER = "other", _("Kesalahan lain")


class TusStatus(models.TextChoices):
    OPEN = "open", _("Sedang diunggah")
    FINISHED = "finished", _("Selesai")
    ABORTED = "aborted", _("Dibatalkan")


class TransitionKind(models.TextChoices):
    KEY = "key", _("Kunci tender")
    BID = "bid", _("Penawaran")
    OPENING = "opening", _("Pembukaan")
    UPLOAD = "upload", _("Unggahan")
