"""Where sealed bids live on disk and how they get there crash-safely (BID-2).

Layout under `settings.LPSE_BIDS_DIR`:

* `tmp/`      uploads being sealed or received (random names, removed on failure/cleanup)
* `tus/`      resumable uploads, `<upload id>.part`
* `sealed/<tender code>/<sha256>.p7m`   complete, fsynced envelopes (content-addressed)
* `opened/<tender code>/<opening id>/`  plaintext after opening: committee only, never public

A file enters `sealed/` only by `place_sealed`: fsync the file, rename it into
place, fsync the directory. A bid row is written only after that, so a crash
leaves at most an unreferenced file, which `cleanup` removes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

SEALED = "sealed"
TMP = "tmp"
TUS = "tus"
OPENED = "opened"


def root() -> Path:
    return Path(settings.LPSE_BIDS_DIR)


def directory(*parts: str) -> Path:
    path = root().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def path_of(relative: str) -> Path:
    """The absolute path of a stored name; refuses names that leave the bids directory."""
    base = root().resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise ValueError(f"not a bids path: {relative!r}")
    return path


def new_temp_file(prefix: str = "up-") -> tuple[Path, object]:
    """A new temporary file in `tmp/` (same file system as `sealed/`: rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=directory(TMP))
    return Path(name), os.fdopen(fd, "w+b")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sealed_name(tender_code: str, sha256: str) -> str:
    return f"{SEALED}/{tender_code}/{sha256}.p7m"


def place_sealed(temp: Path, tender_code: str, sha256: str) -> str:
    """Move a complete temp file into `sealed/`, durably; returns its stored name."""
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    target_dir = directory(SEALED, tender_code)
    name = sealed_name(tender_code, sha256)
    os.replace(temp, root() / name)
    fsync_dir(target_dir)
    return name


def remove_quietly(path: Path | None) -> None:
    if path is None:
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def tus_path(upload_id) -> Path:
    return directory(TUS) / f"{upload_id}.part"


def opened_dir(tender_code: str, opening_id: int) -> Path:
    return directory(OPENED, tender_code, str(opening_id))
