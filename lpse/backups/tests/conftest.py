"""Fixtures of the backup tests: file roots in a temporary installation, a medium."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest


@pytest.fixture
def roots(settings, tmp_path):
    """Empty file roots of a fresh installation (documents, sealed bids, CA key)."""
    settings.MEDIA_ROOT = tmp_path / "install" / "media"
    settings.LPSE_BIDS_DIR = tmp_path / "install" / "bids"
    settings.LPSE_CA_DIR = tmp_path / "install" / "ca"
    settings.DATA_DIR = tmp_path / "install"
    for path in (settings.MEDIA_ROOT, settings.LPSE_BIDS_DIR, settings.LPSE_CA_DIR):
        path.mkdir(parents=True)
    return settings


@pytest.fixture
def usb(tmp_path) -> str:
    """A mounted removable medium."""
    return str(tmp_path / "usb")


def write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def some_files(settings, count: int = 5, size: int = 200_000) -> dict[str, str]:
    """Documents and sealed bids with random content; {relative name: sha256}."""
    files = {}
    for index in range(count):
        files[f"media/dokumen/{index:02d}.pdf"] = write(
            Path(settings.MEDIA_ROOT) / f"dokumen/{index:02d}.pdf", os.urandom(size)
        )
        files[f"bids/10000001/{index:02d}.p7m"] = write(
            Path(settings.LPSE_BIDS_DIR) / f"10000001/{index:02d}.p7m", os.urandom(size // 2)
        )
    return files


def objects_on(medium: str) -> set[str]:
    """Loose objects and packs on the medium."""
    return {
        path.name
        for folder in ("objects", "packs")
        for path in (Path(medium) / folder).rglob("*")
        if path.is_file()
    }


def flip_byte(path: Path, offset: int = 0, length: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    length = len(data) - offset if length is None else length
    data[offset + length // 2] ^= 0x01
    path.write_bytes(bytes(data))


def flip_member(medium: str, member: dict, suffix: str = ".zst") -> None:
    """Flip one byte in the middle of a member's stored object (loose or in a pack)."""
    from lpse.backups import store

    name, offset, length, _encrypted = store.locate(member, suffix)
    flip_byte(Path(medium) / name, offset, length)
