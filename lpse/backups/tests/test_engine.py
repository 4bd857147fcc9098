"""BAK-1..BAK-3: the backup engine on a medium: incremental content-addressed store,
verify finds damage by member name, encryption, retention never deletes referenced content."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa

from lpse.backups import engine, manifest, restore, retention, store
from lpse.backups.errors import BackupError

from .conftest import flip_member, some_files, write

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_holds_database_files_and_configuration_with_sha256_manifest_BAK_1(roots, usb):
    """BAK-1: the manifest lists every member (database, documents, sealed bids,
    configuration) with size and SHA-256; secrets only when asked."""
    files = some_files(roots, count=2)
    data = engine.create_backup(usb, label="USB-A")
    names = {member["name"]: member for member in data["members"]}
    assert any(name.startswith("database/") for name in names)
    assert "config/configuration.json" in names
    for relative, sha in files.items():
        assert names[f"files/{relative}"]["sha256"] == sha
        assert names[f"files/{relative}"]["size"] > 0
    on_disk = json.loads(Path(usb, manifest.manifest_name(data["id"])).read_text())
    assert on_disk["members"] == data["members"]
    assert not any(name.startswith("files/ca/") for name in names)
    config = bytearray()
    medium = engine.open_medium(usb)[0]
    name, offset, length, encrypted = store.locate(names["config/configuration.json"], ".zst")
    store.read_object(
        medium, name, None, sink=config.extend, offset=offset, length=length, encrypted=encrypted
    )
    assert b"secret_key" not in bytes(config).lower() and b"LPSE_BACKUP_KEEP" in config
    assert data["totals"]["members"] == len(names)


def test_unchanged_second_backup_reads_and_copies_no_file_again_BAK_1(roots, usb, monkeypatch):
    """BAK-1: files already on the medium are not copied again; unchanged files
    (same size, mtime, inode) are not even read."""
    some_files(roots, count=4)
    first = engine.create_backup(usb)
    read = []
    real_open, real_read_bytes = Path.open, Path.read_bytes

    def spy_open(path, *args, **kwargs):
        read.append(str(path))
        return real_open(path, *args, **kwargs)

    def spy_read_bytes(path):
        read.append(str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "open", spy_open)
    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    second = engine.create_backup(usb)
    monkeypatch.undo()
    stored_files = (str(roots.MEDIA_ROOT), str(roots.LPSE_BIDS_DIR))
    assert not [name for name in read if name.startswith(stored_files)]
    file_members = [m for m in second["members"] if m["kind"] == "file"]
    assert len(file_members) == 8
    # Every file points at the content the first backup wrote; at most the database
    # snapshot (pg_dump differs from run to run) is new.
    where = {m["name"]: store.locate(m, ".zst")[:3] for m in first["members"]}
    assert all(store.locate(m, ".zst")[:3] == where[m["name"]] for m in file_members)
    assert second["totals"]["new_objects"] <= 1
    # A changed file is stored again; a copy of existing content is not.
    write(Path(roots.MEDIA_ROOT) / "dokumen/new.pdf", b"%PDF-1.4 new content")
    (Path(roots.MEDIA_ROOT) / "dokumen/copy.pdf").write_bytes(
        (Path(roots.MEDIA_ROOT) / "dokumen/00.pdf").read_bytes()
    )
    third = engine.create_backup(usb)
    members = {m["name"]: m for m in third["members"]}
    assert len([m for m in third["members"] if m["kind"] == "file"]) == 10
    assert third["totals"]["new_objects"] <= 2  # new.pdf and maybe the database
    copy, original = members["files/media/dokumen/copy.pdf"], members["files/media/dokumen/00.pdf"]
    assert store.locate(copy, ".zst") == store.locate(original, ".zst")


def test_verify_finds_one_flipped_byte_and_names_the_member_BAK_3(roots, usb):
    """BAK-3: one flipped byte in one object is found; the report names the member."""
    some_files(roots, count=3)
    data = engine.create_backup(usb)
    assert engine.verify_backup(usb).ok
    victim = next(m for m in data["members"] if m["name"] == "files/bids/10000001/01.p7m")
    flip_member(usb, victim, ".zst")
    report = engine.verify_backup(usb, data["id"])
    assert not report.ok
    assert [(p.member, p.code) for p in report.problems] == [
        ("files/bids/10000001/01.p7m", "corrupt")
    ]
    with pytest.raises(BackupError, match=r"01\.p7m"):
        restore.restore_backup(usb, data["id"], force=True)


def test_verify_reports_a_missing_object_by_name_BAK_3(roots, usb):
    """BAK-3: a large file (its own object) and a pack of small ones gone: every member named."""
    some_files(roots, count=1)
    write(Path(roots.MEDIA_ROOT) / "besar.pdf", b"%PDF" + bytes(store.SMALL))
    data = engine.create_backup(usb)
    large = next(m for m in data["members"] if m["name"] == "files/media/besar.pdf")
    assert "pack" not in large
    (Path(usb) / store.object_name(large["sha256"], ".zst")).unlink()
    small = next(m for m in data["members"] if m["name"] == "files/media/dokumen/00.pdf")
    (Path(usb) / small["pack"]).unlink()
    report = engine.verify_backup(usb)
    missing = {p.member for p in report.problems if p.code == "missing"}
    assert {"files/media/besar.pdf", "files/media/dokumen/00.pdf"} <= missing
    assert (
        len(missing) == len(data["members"]) - 1 + 1 - 1 or "config/configuration.json" in missing
    )


def test_damaged_manifest_is_found_BAK_3(roots, usb):
    data = engine.create_backup(usb)
    path = Path(usb) / manifest.manifest_name(data["id"])
    text = path.read_text().replace('"members"', '"members" ', 1)
    path.write_text(text.replace(data["members"][0]["sha256"], "0" * 64))
    with pytest.raises(BackupError, match="rusak"):
        engine.verify_backup(usb, data["id"])


def test_passphrase_encrypted_backup_verifies_and_restores_only_with_the_passphrase_BAK_2(
    roots, usb, tmp_path
):
    """BAK-2: AES-256-GCM objects, key from the passphrase (scrypt); a wrong one is refused."""
    files = some_files(roots, count=2)
    data = engine.create_backup(usb, passphrase="frasa sandi yang panjang")
    assert data["encryption"] == "passphrase"
    raw = b"".join(p.read_bytes() for p in (Path(usb) / "objects").rglob("*.enc"))
    plain = (Path(roots.MEDIA_ROOT) / "dokumen/00.pdf").read_bytes()
    assert plain[:64] not in raw
    assert engine.verify_backup(usb, passphrase="frasa sandi yang panjang").ok
    with pytest.raises(BackupError, match="salah"):
        engine.verify_backup(usb, passphrase="frasa sandi yang salah!")
    with pytest.raises(BackupError, match="enkripsi"):
        engine.create_backup(usb)  # a plain backup onto an encrypted medium
    roots.MEDIA_ROOT = tmp_path / "fresh-media"
    roots.LPSE_BIDS_DIR = tmp_path / "fresh-bids"
    with pytest.raises(BackupError, match="terenkripsi"):
        restore.restore_backup(usb, force=True)
    restore.restore_backup(usb, force=True, passphrase="frasa sandi yang panjang")
    for relative, sha in files.items():
        root = roots.MEDIA_ROOT if relative.startswith("media/") else roots.LPSE_BIDS_DIR
        restored = Path(root) / relative.split("/", 1)[1]
        import hashlib

        assert hashlib.sha256(restored.read_bytes()).hexdigest() == sha


def test_public_key_backup_is_checked_without_the_private_key_and_opened_with_it_BAK_2(roots, usb):
    """BAK-2: encrypted to an RSA public key (OAEP): the server cannot read it; verify
    without the key still checks every stored byte and finds a flipped one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    some_files(roots, count=2)
    data = engine.create_backup(usb, public_key=key.public_key(), include_secrets=True)
    without = engine.verify_backup(usb)
    assert without.ok and not without.contents_checked
    assert engine.verify_backup(usb, private_key=key).contents_checked
    victim = next(m for m in data["members"] if m["name"] == "files/media/dokumen/01.pdf")
    flip_member(usb, victim, ".zst.enc")
    assert [p.member for p in engine.verify_backup(usb).problems] == [victim["name"]]
    assert [p.member for p in engine.verify_backup(usb, private_key=key).problems] == [
        victim["name"]
    ]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(BackupError, match="bukan pasangan"):
        engine.verify_backup(usb, private_key=other)


def _backup_at(usb, when: datetime) -> dict:
    with time_machine.travel(when, tick=False):
        return engine.create_backup(usb)


def test_prune_keeps_the_set_and_never_deletes_referenced_content_BAK_3(roots, usb):
    """BAK-3: retention deletes manifests outside the kept set, then only objects and packs
    no kept manifest references; every kept backup still verifies."""
    media = Path(roots.MEDIA_ROOT)
    write(media / "shared.pdf", b"%PDF shared by every backup")
    old_only = write(media / "old-only.pdf", b"%PDF only in the oldest" + bytes(store.SMALL))
    oldest = _backup_at(usb, datetime(2026, 1, 10, 3, tzinfo=UTC))
    (media / "old-only.pdf").unlink()
    march_sha = write(media / "march.pdf", b"%PDF first seen in March" + bytes(store.SMALL))
    march = _backup_at(usb, datetime(2026, 3, 10, 3, tzinfo=UTC))
    days = [_backup_at(usb, datetime(2026, 3, 20 + day, 3, tzinfo=UTC)) for day in range(3)]
    report = retention.prune(usb, retention.parse_keep("daily=2"))
    assert set(report.kept) == {days[-1]["id"], days[-2]["id"]}
    assert set(report.deleted) == {oldest["id"], march["id"], days[0]["id"]}
    assert report.objects_deleted >= 1
    assert not (Path(usb) / store.object_name(old_only, ".zst")).exists()
    assert (Path(usb) / store.object_name(march_sha, ".zst")).exists()  # still referenced
    medium = engine.open_medium(usb)[0]
    for backup_id in report.kept:
        for member in manifest.load(medium, backup_id)["members"]:
            assert (Path(usb) / store.locate(member, ".zst")[0]).is_file(), member["name"]
        assert engine.verify_backup(usb, backup_id).ok


def test_retention_selects_daily_weekly_monthly_newest_of_each_period_BAK_3():
    backups = [
        (
            f"b{day:03d}",
            datetime(2026, 1, 1, 3, tzinfo=UTC)
            + (day * (datetime(2026, 1, 2) - datetime(2026, 1, 1))),
        )
        for day in range(120)
    ]
    kept = retention.select_kept(backups, retention.parse_keep("daily=7,weekly=4,monthly=12"))
    assert {f"b{day:03d}" for day in range(113, 120)} <= kept  # the last 7 days
    assert "b000" in kept or len(kept) <= 7 + 4 + 12
    assert len(kept) <= 7 + 4 + 12
    assert "b119" in kept
    with pytest.raises(ValueError, match="tidak dikenal"):
        retention.parse_keep("daily=7,hourly=3")


def test_backup_onto_a_medium_with_another_label_is_refused(roots, usb):
    engine.create_backup(usb, label="USB-A")
    with pytest.raises(BackupError, match="USB-A"):
        engine.create_backup(usb, label="USB-B")
