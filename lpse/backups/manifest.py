"""Manifests and the medium's description (BAK-1, BAK-3).

`backups/<id>/started.json` is written first, `backups/<id>/manifest.json`
LAST (fsynced with its directory): a backup without a manifest was interrupted
and is never offered for restore. A manifest carries its own SHA-256 over the
rest of its content, so a damaged manifest is found too.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import BackupError

FORMAT = 1
BACKUPS = "backups"
MEDIUM = "medium.json"


class ManifestError(BackupError):
    """A manifest is missing or damaged; Indonesian message."""


def new_backup_id(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def manifest_name(backup_id: str) -> str:
    return f"{BACKUPS}/{backup_id}/manifest.json"


def started_name(backup_id: str) -> str:
    return f"{BACKUPS}/{backup_id}/started.json"


def _checksum(data: dict) -> str:
    body = {key: value for key, value in data.items() if key != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def encode(data: dict) -> bytes:
    data = dict(data, checksum=_checksum(data))
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def decode(raw: bytes, backup_id: str) -> dict:
    try:
        data = json.loads(raw)
    except ValueError:
        raise ManifestError(f"Manifes cadangan {backup_id} rusak (bukan JSON).") from None
    if not isinstance(data, dict) or data.get("checksum") != _checksum(data):
        raise ManifestError(f"Manifes cadangan {backup_id} rusak (sidik SHA-256 tidak cocok).")
    if data.get("format") != FORMAT:
        raise ManifestError(f"Format manifes {data.get('format')!r} tidak dikenal.")
    return data


def load(destination, backup_id: str) -> dict:
    name = manifest_name(backup_id)
    if not destination.exists(name):
        if destination.exists(f"{BACKUPS}/{backup_id}"):
            raise ManifestError(
                f"Cadangan {backup_id} tidak lengkap (terputus sebelum manifes ditulis); "
                "tidak dapat diperiksa atau dipulihkan."
            )
        raise ManifestError(f"Cadangan {backup_id} tidak ada di {destination.description}.")
    return decode(destination.read_bytes(name), backup_id)


@dataclass
class Entry:
    """One backup folder on a medium, complete or not."""

    backup_id: str
    complete: bool
    manifest: dict | None = None
    error: str = ""
    started: dict = field(default_factory=dict)

    @property
    def created_at(self) -> datetime | None:
        text = (self.manifest or self.started).get("created_at")
        return datetime.fromisoformat(text) if text else None


def entries(destination) -> list[Entry]:
    """Every backup folder on the medium, oldest first."""
    found = []
    for backup_id in destination.listdir(BACKUPS):
        if backup_id.startswith("."):
            continue
        if destination.exists(manifest_name(backup_id)):
            try:
                found.append(Entry(backup_id, True, load(destination, backup_id)))
            except ManifestError as exc:
                found.append(Entry(backup_id, False, error=str(exc)))
            continue
        started = {}
        if destination.exists(started_name(backup_id)):
            try:
                started = json.loads(destination.read_bytes(started_name(backup_id)))
            except ValueError:
                started = {}
        found.append(
            Entry(
                backup_id,
                False,
                started=started,
                error="tidak lengkap: terputus sebelum manifes ditulis",
            )
        )
    return found


def latest_complete(destination, backup_id: str | None = None) -> dict:
    """The manifest of `backup_id`, or of the newest complete backup."""
    if backup_id:
        return load(destination, backup_id)
    complete = [entry for entry in entries(destination) if entry.complete]
    if not complete:
        raise ManifestError(f"Tidak ada cadangan lengkap di {destination.description}.")
    return complete[-1].manifest


def read_medium(destination) -> dict | None:
    if not destination.exists(MEDIUM):
        return None
    try:
        return json.loads(destination.read_bytes(MEDIUM))
    except ValueError:
        raise ManifestError(f"{MEDIUM} di {destination.description} rusak.") from None
