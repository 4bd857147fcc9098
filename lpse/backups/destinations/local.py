"""A mounted path: a USB disk, an external drive, a network share (BAK-2).

Files are written to a temporary name in the same directory, fsynced and
renamed, so a reader sees a whole file or none; directories are fsynced when
the engine asks (after a batch of objects, and after each manifest).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .base import DestinationError

KIND = "local"
LABEL = "Direktori terpasang (disk USB, disk eksternal, folder jaringan)"


def accepts(target: str) -> bool:
    return "://" not in target or target.startswith("file://")


def open(target: str) -> LocalDestination:
    path = Path(target.removeprefix("file://")).expanduser()
    return LocalDestination(path)


class LocalDestination:
    def __init__(self, root: Path):
        self.root = root.resolve()
        self.description = str(self.root)

    def ensure_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DestinationError(
                f"Tidak dapat membuat folder cadangan {self.root}: {exc.strerror}"
            ) from exc
        if not os.access(self.root, os.W_OK):
            raise DestinationError(f"Folder cadangan {self.root} tidak dapat ditulisi.")

    def ensure_readable(self) -> None:
        if not self.root.is_dir():
            raise DestinationError(f"Folder cadangan {self.root} tidak ada.")

    def path(self, name: str) -> Path:
        return self.root / name

    def exists(self, name: str) -> bool:
        return os.path.exists(self.root / name)

    def size(self, name: str) -> int:
        return os.stat(self.root / name).st_size

    def open_read(self, name: str) -> BinaryIO:
        return (self.root / name).open("rb")

    def read_bytes(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    @contextmanager
    def write_atomic(self, name: str) -> Iterator[BinaryIO]:
        final = self.root / name
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def new_temp(self, directory: str) -> TempFile:
        """A temporary file in `directory` whose final name is known only at the end
        (objects are named by the SHA-256 of what was written)."""
        (self.root / directory).mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            dir=self.root / directory, prefix=".tmp-", suffix=".part"
        )
        return TempFile(self, os.fdopen(handle, "wb"), Path(temp_name))

    def write_bytes(self, name: str, data: bytes) -> None:
        with self.write_atomic(name) as out:
            out.write(data)
        self.sync_dirs({str(Path(name).parent)})

    def listdir(self, name: str) -> list[str]:
        try:
            return sorted(os.listdir(self.root / name))
        except FileNotFoundError:
            return []

    def remove(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def remove_tree(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def sync_dirs(self, names: set[str]) -> None:
        for name in sorted(names):
            directory = self.root / name if name not in ("", ".") else self.root
            try:
                fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                continue
            try:
                os.fsync(fd)
            except OSError as exc:  # some network file systems refuse fsync on a directory
                if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
                    raise
            finally:
                os.close(fd)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One writer (create or prune) per medium at a time."""
        self.ensure_writable()
        with (self.root / ".lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DestinationError(
                    f"Media {self.root} sedang dipakai proses cadangan lain; coba lagi nanti."
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def walk_files(self, name: str) -> Iterator[str]:
        base = self.root / name
        for directory, _dirs, files in os.walk(base):
            for file_name in files:
                yield os.path.relpath(os.path.join(directory, file_name), self.root)


class TempFile:
    def __init__(self, destination: LocalDestination, handle: BinaryIO, path: Path):
        self.destination = destination
        self.handle = handle
        self.path = path

    def commit(self, name: str) -> bool:
        """fsync and rename to `name`; False (and the temp file removed) when `name`
        already exists: content-addressed, so the existing file is the same content."""
        self.handle.flush()
        final = self.destination.root / name
        if final.exists():
            self.discard()
            return False
        os.fsync(self.handle.fileno())
        self.handle.close()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, final)
        return True

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.path.unlink(missing_ok=True)
