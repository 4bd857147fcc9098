"""Create and verify backups on a medium (BAK-1..BAK-3). Django-aware only through
`sources`; the register in the database is kept by `services`."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import encryption, manifest, sources, store
from .destinations import open_destination
from .errors import BackupError
from .progress import Progress


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


# --- the medium and its keys ---------------------------------------------------------------
def _prepare_medium(destination, label, passphrase, public_key):
    """(medium dict, keyring or None): creates medium.json on a new medium; refuses to
    mix encrypted and plain backups or two keys on one medium."""
    medium = manifest.read_medium(destination)
    if medium is None:
        if passphrase:
            crypto, keyring = encryption.new_passphrase_medium(passphrase)
        elif public_key is not None:
            crypto, keyring = encryption.new_public_key_medium(public_key)
        else:
            crypto, keyring = {"mode": "none"}, None
        medium = {
            "format": manifest.FORMAT,
            "medium_id": str(uuid.uuid4()),
            "label": label or destination.description,
            "created_at": timezone.now().isoformat(),
            "encryption": crypto,
        }
        destination.write_bytes(manifest.MEDIUM, json.dumps(medium, indent=1).encode())
        return medium, keyring
    mode = medium["encryption"]["mode"]
    wanted = "passphrase" if passphrase else "public-key" if public_key is not None else "none"
    if mode != wanted:
        raise BackupError(
            f"Media ini memakai enkripsi '{mode}', sedangkan cadangan ini diminta '{wanted}'; "
            "satu media memakai satu cara enkripsi. Gunakan opsi yang sama atau media lain."
        )
    if label and label != medium["label"]:
        raise BackupError(
            f"Media ini berlabel '{medium['label']}', bukan '{label}'. "
            "Periksa media yang terpasang."
        )
    if mode == "passphrase":
        return medium, encryption.passphrase_keyring(medium["encryption"], passphrase)
    if mode == "public-key":
        return medium, encryption.public_key_keyring(medium["encryption"], public_key)
    return medium, None


def read_keyring(medium: dict, passphrase=None, private_key=None):
    mode = medium["encryption"]["mode"]
    if mode == "passphrase" and passphrase:
        return encryption.passphrase_keyring(medium["encryption"], passphrase)
    if mode == "public-key" and private_key is not None:
        public = encryption.public_key_fingerprint(private_key.public_key())
        if public != medium["encryption"]["fingerprint"]:
            raise BackupError("Kunci privat ini bukan pasangan kunci publik media ini.")
        return encryption.Keyring("public-key", private_key=private_key)
    if mode != "none":
        return encryption.Keyring(mode)  # stored bytes only
    return None


def open_medium(target: str):
    destination = open_destination(target)
    destination.ensure_readable()
    medium = manifest.read_medium(destination)
    if medium is None:
        raise BackupError(
            f"{destination.description} bukan media cadangan LPSE (medium.json tidak ada)."
        )
    return destination, medium


# --- create ------------------------------------------------------------------------------
@dataclass
class _Item:
    name: str
    kind: str
    root: str = ""
    path: Path | None = None
    data: bytes | None = None
    stat: os.stat_result | None = None
    cached: dict | None = None

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        return self.stat.st_size if self.stat else 0


def _previous_members(destination) -> dict[str, dict]:
    """Members of the newest complete backup on this medium, by name: unchanged files
    (same size, mtime and inode) are not read again."""
    complete = [entry for entry in manifest.entries(destination) if entry.complete]
    if not complete:
        return {}
    return {member["name"]: member for member in complete[-1].manifest["members"]}


def _unchanged(item: _Item, previous: dict | None) -> bool:
    return bool(
        previous
        and item.stat is not None
        and previous.get("size") == item.stat.st_size
        and previous.get("mtime_ns") == item.stat.st_mtime_ns
        and previous.get("ino") == item.stat.st_ino
    )


def _collect_files(include_secrets: bool, previous: dict[str, dict]) -> tuple[dict, list[_Item]]:
    roots = sources.file_roots(include_secrets=include_secrets)
    items = []
    for root_name, root in roots.items():
        skip = sources.skipped_dirs(roots, root_name)
        for relative, path, info in sources.walk_root(root, skip):
            name = f"files/{root_name}/{relative}"
            items.append(_Item(name, "file", root_name, path=path, stat=info))
            if _unchanged(items[-1], previous.get(name)):
                items[-1].cached = previous[name]
    return {name: str(path) for name, path in roots.items()}, items


def _member(item: _Item, stored: store.Stored) -> dict:
    member = {
        "name": item.name,
        "kind": item.kind,
        "root": item.root,
        "size": stored.size,
        "sha256": stored.sha256,
        "stored_size": stored.stored_size,
        "stored_sha256": stored.stored_sha256,
    }
    if item.stat is not None and item.kind == "file":
        member.update(
            mtime_ns=item.stat.st_mtime_ns, ino=item.stat.st_ino, mode=item.stat.st_mode & 0o7777
        )
    return member


def create_backup(
    target: str,
    *,
    label: str | None = None,
    include_secrets: bool = False,
    passphrase: str | None = None,
    public_key=None,
    backup_id: str | None = None,
    show_progress: bool | None = None,
) -> dict:
    """Write one backup to `target`; returns its manifest (already fsynced)."""
    destination = open_destination(target)
    destination.ensure_writable()
    with destination.lock():
        medium, keyring = _prepare_medium(destination, label, passphrase, public_key)
        suffix = store.suffix_for(medium["encryption"]["mode"])
        started_at = timezone.now()
        backup_id = backup_id or manifest.new_backup_id(started_at)
        destination.write_bytes(
            manifest.started_name(backup_id),
            json.dumps(
                {
                    "created_at": started_at.isoformat(),
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                }
            ).encode(),
        )
        previous = _previous_members(destination)
        roots, items = _collect_files(include_secrets, previous)
        temp_parent = Path(settings.DATA_DIR) / "tmp"
        temp_parent.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=temp_parent, prefix="backup-") as scratch:
            dump, dump_name = sources.dump_database(Path(scratch))
            items.insert(0, _Item(dump_name, "database", path=dump, stat=dump.stat()))
            items.insert(
                1,
                _Item(
                    "config/configuration.json",
                    "config",
                    data=sources.configuration(include_secrets=include_secrets),
                ),
            )
            members = _store_items(destination, items, keyring, suffix, show_progress, previous)
        finished_at = timezone.now()
        new_objects = [m for m in members if m.pop("_new", False)]
        data = {
            "format": manifest.FORMAT,
            "id": backup_id,
            "created_at": started_at.isoformat(),
            "finished_at": finished_at.isoformat(),
            "host": socket.gethostname(),
            "database_engine": sources.engine_name(),
            "includes_secrets": include_secrets,
            "medium": {"id": medium["medium_id"], "label": medium["label"]},
            "encryption": medium["encryption"]["mode"],
            "object_suffix": suffix,
            "roots": roots,
            "members": members,
            "totals": {
                "members": len(members),
                "size": sum(m["size"] for m in members),
                "stored_size": sum(m["stored_size"] for m in members),
                "new_objects": len(new_objects),
                "new_stored_size": sum(m["stored_size"] for m in new_objects),
            },
        }
        # The manifest LAST, fsynced with its directory: only now is the backup complete.
        destination.write_bytes(manifest.manifest_name(backup_id), manifest.encode(data))
        destination.sync_dirs({manifest.BACKUPS})
    return data


def _store_items(destination, items: list[_Item], keyring, suffix: str, show_progress, previous):
    packs = set(destination.walk_files(store.PACKS))

    def present(member: dict) -> bool:
        if member.get("pack"):
            return member["pack"] in packs
        return destination.exists(store.object_name(member["sha256"], suffix))

    to_read = [item for item in items if not (item.cached and present(item.cached))]
    index = {
        member["sha256"]: {
            key: member[key] for key in ("pack", "offset", "length", "stored_sha256", "stored_size")
        }
        for member in previous.values()
        if member.get("pack") and member["pack"] in packs
    }
    packer = store.PackWriter(destination, index)
    progress = Progress("Mencadangkan", sum(item.size for item in to_read), enabled=show_progress)
    results: dict[str, dict] = {}
    touched: set[str] = set()

    def put_small(item: _Item) -> dict:
        data = item.data if item.data is not None else item.path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        location, new = packer.known(sha256), False
        if location is None:
            blob, stored_sha256 = store.pack_bytes(data, keyring)
            location, new = packer.add(sha256, blob, stored_sha256)
        progress.advance(len(data))
        stored = store.Stored(
            sha256, len(data), location["stored_sha256"], location["stored_size"], new
        )
        member = _member(item, stored)
        member.update(pack=location["pack"], offset=location["offset"], length=location["length"])
        member["_new"] = new
        return member

    def put(item: _Item) -> dict:
        try:
            if item.size < store.SMALL:
                return put_small(item)
            with item.path.open("rb") as handle:
                stored = store.put_stream(destination, handle, keyring, suffix, progress)
        except OSError as exc:
            raise BackupError(f"Berkas {item.path} tidak dapat dibaca: {exc.strerror}") from exc
        member = _member(item, stored)
        member["_new"] = stored.new
        return member

    reading = {id(item) for item in to_read}
    try:
        with ThreadPoolExecutor(max_workers=workers()) as pool:
            futures = {item.name: pool.submit(put, item) for item in to_read}
            for item in items:
                if id(item) in reading:
                    continue
                cached = dict(item.cached)
                cached.update(
                    mtime_ns=item.stat.st_mtime_ns,
                    ino=item.stat.st_ino,
                    mode=item.stat.st_mode & 0o7777,
                )
                results[item.name] = cached
            for name, future in futures.items():
                results[name] = future.result()
                if results[name].get("_new") and not results[name].get("pack"):
                    touched.add(
                        str(Path(store.object_name(results[name]["sha256"], suffix)).parent)
                    )
    except BaseException:
        packer.discard()
        raise
    touched |= packer.close()
    progress.finish()
    destination.sync_dirs(touched | {store.OBJECTS})
    return [results[item.name] for item in items]


# --- verify ------------------------------------------------------------------------------
@dataclass
class Problem:
    member: str
    code: str  # missing, corrupt, locked
    message: str


@dataclass
class VerifyReport:
    backup_id: str
    created_at: datetime | None
    members: int = 0
    bytes_checked: int = 0
    contents_checked: bool = True
    problems: list[Problem] = field(default_factory=list)
    manifest: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_backup(
    target: str,
    backup_id: str | None = None,
    *,
    passphrase: str | None = None,
    private_key=None,
    show_progress: bool | None = None,
) -> VerifyReport:
    """Re-read every object of a backup and check each SHA-256 (stored and plaintext)."""
    destination, medium = open_medium(target)
    data = manifest.latest_complete(destination, backup_id)
    keyring = read_keyring(medium, passphrase, private_key)
    suffix = data["object_suffix"]
    report = VerifyReport(
        data["id"], datetime.fromisoformat(data["created_at"]), len(data["members"]), manifest=data
    )
    report.contents_checked = keyring is None or keyring.can_read()
    by_object: dict[str, list[dict]] = {}
    for member in data["members"]:
        by_object.setdefault(member["sha256"], []).append(member)
    progress = Progress(
        "Memeriksa", sum(group[0]["size"] for group in by_object.values()), enabled=show_progress
    )

    def check(sha256: str) -> tuple[list[Problem], int]:
        group = by_object[sha256]
        expected = group[0]
        name, offset, length, encrypted = store.locate(expected, suffix)
        try:
            plain, size, stored_sha, stored_size = store.read_object(
                destination,
                name,
                keyring,
                progress=progress,
                offset=offset,
                length=length,
                encrypted=encrypted,
            )
        except store.ObjectProblem as exc:
            return [Problem(m["name"], exc.code, exc.message) for m in group], 0
        problems = []
        if stored_sha != expected["stored_sha256"] or stored_size != expected["stored_size"]:
            message = "isi objek di media berubah (SHA-256 tersimpan tidak cocok)"
            problems = [Problem(m["name"], "corrupt", message) for m in group]
        elif plain is not None and (plain != sha256 or size != expected["size"]):
            message = "SHA-256 isi tidak cocok dengan manifes"
            problems = [Problem(m["name"], "corrupt", message) for m in group]
        return problems, stored_size

    with ThreadPoolExecutor(max_workers=workers()) as pool:
        for problems, checked in pool.map(check, list(by_object)):
            report.problems.extend(problems)
            report.bytes_checked += checked
    progress.finish()
    report.problems.sort(key=lambda problem: problem.member)
    return report


def list_backups(target: str) -> tuple[dict, list[manifest.Entry]]:
    destination, medium = open_medium(target)
    return medium, manifest.entries(destination)
