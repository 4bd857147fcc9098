"""Restore a complete backup into an empty installation (BAK-3)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import manifest, sources, store
from .engine import open_medium, read_keyring
from .errors import BackupError
from .progress import Progress


@dataclass
class RestoreReport:
    backup_id: str
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)
    manifest: dict | None = None


def _write_member(destination, member: dict, suffix: str, keyring, final: Path, progress) -> None:
    """Write one member beside `final`, check its SHA-256, then rename into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            name, offset, length, encrypted = store.locate(member, suffix)
            plain, size, _stored, _stored_size = store.read_object(
                destination,
                name,
                keyring,
                sink=out.write,
                progress=progress,
                offset=offset,
                length=length,
                encrypted=encrypted,
            )
            out.flush()
            os.fsync(out.fileno())
        if plain != member["sha256"] or size != member["size"]:
            raise BackupError(f"{member['name']}: SHA-256 tidak cocok dengan manifes.")
        if member.get("mode"):
            os.chmod(temp_name, member["mode"])
        os.replace(temp_name, final)
    except store.ObjectProblem as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise BackupError(f"{member['name']}: {exc.message}") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def restore_backup(
    target: str,
    backup_id: str | None = None,
    *,
    force: bool = False,
    passphrase: str | None = None,
    private_key=None,
    show_progress: bool | None = None,
) -> RestoreReport:
    destination, medium = open_medium(target)
    data = manifest.latest_complete(destination, backup_id)
    keyring = read_keyring(medium, passphrase, private_key)
    if keyring is not None and not keyring.can_read():
        raise BackupError(
            "Cadangan ini terenkripsi: berikan frasa sandi (--passphrase-file) atau kunci "
            "privat (--decrypt-key) untuk memulihkannya."
        )
    suffix = data["object_suffix"]
    roots = sources.file_roots(include_secrets=True)
    members = data["members"]
    used_roots = {member["root"] for member in members if member["kind"] == "file"}
    if not force:
        if not sources.database_is_empty():
            raise BackupError(
                "Basis data tujuan tidak kosong. Pulihkan ke instalasi baru (tanpa migrate), "
                "atau pakai --force untuk menimpanya."
            )
        busy = [
            name
            for name in sorted(used_roots)
            if name in roots and not sources.root_is_empty(roots[name])
        ]
        if busy:
            raise BackupError(
                "Folder berkas tujuan tidak kosong: "
                + ", ".join(str(roots[name]) for name in busy)
                + ". Pakai instalasi baru atau --force."
            )
    report = RestoreReport(data["id"], manifest=data)
    progress = Progress("Memulihkan", sum(m["size"] for m in members), enabled=show_progress)
    data_dir = Path(settings.DATA_DIR)
    scratch_parent = data_dir / "tmp"
    scratch_parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_parent, prefix="restore-") as scratch:
        for member in members:
            if member["kind"] == "file":
                root = roots.get(member["root"])
                if root is None:
                    root = data_dir / "restored" / member["root"]
                    report.notes.append(
                        f"Akar berkas '{member['root']}' tidak dikenal: ditulis ke {root}."
                    )
                relative = member["name"].split("/", 2)[2]
                final = (root / relative).resolve()
                if not final.is_relative_to(root.resolve()):
                    raise BackupError(f"{member['name']}: jalur di luar folder tujuan, ditolak.")
                _write_member(destination, member, suffix, keyring, final, progress)
                report.files += 1
                report.bytes += member["size"]
            elif member["kind"] == "config":
                final = data_dir / "restored-configuration.json"
                _write_member(destination, member, suffix, keyring, final, progress)
                os.chmod(final, 0o600)
                config = json.loads(final.read_text())
                if config.get("secret_key"):
                    key_file = data_dir / "secret_key"
                    key_file.write_text(config["secret_key"])
                    os.chmod(key_file, 0o600)
                    report.notes.append(
                        f"SECRET_KEY dipulihkan ke {key_file}; mulai ulang layanan "
                        "(kecuali LPSE_SECRET_KEY diatur lewat variabel lingkungan)."
                    )
                report.notes.append(f"Konfigurasi saat pencadangan: {final}.")
        database = [member for member in members if member["kind"] == "database"]
        for member in database:
            dump = Path(scratch) / Path(member["name"]).name
            _write_member(destination, member, suffix, keyring, dump, progress)
            sources.restore_database(dump, member["name"], force=force)
    progress.finish()
    if database:
        from . import services

        services.finish_restored(data)
    return report
