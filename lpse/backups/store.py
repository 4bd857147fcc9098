"""The content-addressed object store on a medium (BAK-1, BAK-3).

`objects/ab/abcdef....zst` holds the zstd-compressed content whose plaintext
SHA-256 is `abcdef...` (`.zst.enc` when the medium is encrypted). An object is
written to a temporary file, fsynced and renamed, so a name on the medium always
means whole content. The same content is stored once, whichever backup,
file name or root it came from.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import zstandard

from .encryption import TAG_SIZE, EncryptionError, Keyring, read_header

CHUNK = 1024 * 1024
LEVEL = 3  # zstd's default: the speed of `zstd -3`, which the bench compares against
OBJECTS = "objects"


def suffix_for(mode: str) -> str:
    return ".zst" if mode == "none" else ".zst.enc"


def object_name(sha256: str, suffix: str) -> str:
    return f"{OBJECTS}/{sha256[:2]}/{sha256}{suffix}"


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    stored_sha256: str
    stored_size: int
    new: bool


class _Out:
    """Counts and hashes what goes to the medium."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        if data:
            self.hash.update(data)
            self.size += len(data)
            self.handle.write(data)


def put_stream(destination, source: BinaryIO, keyring: Keyring | None, suffix: str, progress=None):
    """Hash, compress (and encrypt) `source` into the store in one pass; `Stored`."""
    temp = destination.new_temp(OBJECTS)
    try:
        out = _Out(temp.handle)
        encryptor = None
        if keyring is not None:
            header, encryptor = keyring.encryptor()
            out.write(header)
        compressor = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True).compressobj()
        plain = hashlib.sha256()
        size = 0
        while chunk := source.read(CHUNK):
            plain.update(chunk)
            size += len(chunk)
            packed = compressor.compress(chunk)
            out.write(encryptor.update(packed) if encryptor else packed)
            if progress is not None:
                progress.advance(len(chunk))
        packed = compressor.flush()
        if encryptor:
            out.write(encryptor.update(packed) + encryptor.finalize())
            out.write(encryptor.tag)
        else:
            out.write(packed)
        sha256 = plain.hexdigest()
        new = temp.commit(object_name(sha256, suffix))
    except BaseException:
        temp.discard()
        raise
    if new:
        return Stored(sha256, size, out.hash.hexdigest(), out.size, True)
    existing = stored_fingerprint(destination, object_name(sha256, suffix))
    return Stored(sha256, size, existing[0], existing[1], False)


def stored_fingerprint(destination, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with destination.open_read(name) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- packs: small objects share files ---------------------------------------------------
#: Files smaller than this are packed: creating a file costs about as much as writing
#: 200 KB on common disks, so one file per small object would halve the speed.
SMALL = 4 * 1024 * 1024
PACK_TARGET = 64 * 1024 * 1024
PACKS = "packs"
_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    if not hasattr(_local, "compressor"):
        _local.compressor = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True)
    return _local.compressor


class PackWriter:
    """Appends small objects to pack files (`packs/ab/<random>.pack`); a pack is fsynced
    and renamed into place when it is full and at `close()`, before the manifest.
    `index` maps the SHA-256 of content already on the medium to its location."""

    def __init__(self, destination, index: dict[str, dict]):
        self.destination = destination
        self.index = dict(index)
        self.lock = threading.Lock()
        self.temp = None
        self.name = ""
        self.size = 0
        self.finished: set[str] = set()

    def known(self, sha256: str) -> dict | None:
        with self.lock:
            return self.index.get(sha256)

    def add(self, sha256: str, blob: bytes, stored_sha256: str) -> tuple[dict, bool]:
        """(location, new) of `blob`, written unless the content is there already."""
        with self.lock:
            if sha256 in self.index:
                return self.index[sha256], False
            if self.temp is None:
                self.temp = self.destination.new_temp(PACKS)
                pack_id = uuid.uuid4().hex
                self.name = f"{PACKS}/{pack_id[:2]}/{pack_id}.pack"
                self.size = 0
            self.temp.handle.write(blob)
            location = {
                "pack": self.name,
                "offset": self.size,
                "length": len(blob),
                "stored_sha256": stored_sha256,
                "stored_size": len(blob),
            }
            self.size += len(blob)
            self.index[sha256] = location
            if self.size >= PACK_TARGET:
                self._finish()
            return location, True

    def _finish(self) -> None:
        if self.temp is not None:
            self.temp.commit(self.name)
            self.finished.add(str(PurePosixPath(self.name).parent))
            self.temp = None

    def close(self) -> set[str]:
        """Finish the open pack; the directories to fsync."""
        with self.lock:
            self._finish()
            return self.finished | {PACKS} if self.finished else set()

    def discard(self) -> None:
        with self.lock:
            if self.temp is not None:
                self.temp.discard()
                self.temp = None


def pack_bytes(data: bytes, keyring: Keyring | None) -> tuple[bytes, str]:
    """(stored blob, its SHA-256) of a small object: zstd, then AES-GCM if a keyring."""
    blob = _compressor().compress(data)
    if keyring is not None:
        header, encryptor = keyring.encryptor()
        blob = header + encryptor.update(blob) + encryptor.finalize() + encryptor.tag
    return blob, hashlib.sha256(blob).hexdigest()


class ObjectProblem(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def locate(member: dict, suffix: str) -> tuple[str, int, int | None, bool]:
    """(file name, offset, length or None, encrypted) of a manifest member's object."""
    encrypted = suffix != ".zst"
    if member.get("pack"):
        return member["pack"], member["offset"], member["length"], encrypted
    return object_name(member["sha256"], suffix), 0, None, encrypted


def read_object(
    destination,
    name: str,
    keyring: Keyring | None,
    sink=None,
    progress=None,
    *,
    offset: int = 0,
    length: int | None = None,
    encrypted: bool | None = None,
):
    """Stream one object's plaintext into `sink` (a callable, or None to discard); the
    object is the whole file `name`, or `length` bytes at `offset` of a pack.

    Returns (plaintext sha256, size, stored sha256, stored size); the first two are None
    when the object is encrypted and no key was given. Raises
    ObjectProblem("missing"/"corrupt"/"locked") with a message.
    """
    if not destination.exists(name):
        raise ObjectProblem("missing", "objek tidak ada di media")
    file_size = destination.size(name)
    total = file_size - offset if length is None else length
    if offset + total > file_size:
        raise ObjectProblem("corrupt", "paket terpotong")
    if encrypted is None:
        encrypted = name.endswith(".enc")
    stored_hash = hashlib.sha256()
    stored_size = 0
    plain = hashlib.sha256()
    size = 0
    try:
        with destination.open_read(name) as handle:
            handle.seek(offset)
            decryptor = None
            remaining = total
            if encrypted:
                head = read_header(handle)
                header_size = handle.tell() - offset
                handle.seek(offset)
                stored_hash.update(handle.read(header_size))
                stored_size = header_size
                remaining = total - header_size
                if keyring is None or not keyring.can_read():
                    # Without the key only the stored bytes can be checked.
                    while remaining > 0 and (chunk := handle.read(min(CHUNK, remaining))):
                        stored_hash.update(chunk)
                        stored_size += len(chunk)
                        remaining -= len(chunk)
                    return None, None, stored_hash.hexdigest(), stored_size
                handle.seek(offset + total - TAG_SIZE)
                tag = handle.read(TAG_SIZE)
                handle.seek(offset + header_size)
                decryptor = keyring.decryptor(head, tag)
                remaining -= TAG_SIZE
            decompressor = zstandard.ZstdDecompressor().decompressobj()
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    raise ObjectProblem("corrupt", "objek terpotong")
                remaining -= len(chunk)
                stored_hash.update(chunk)
                stored_size += len(chunk)
                packed = decryptor.update(chunk) if decryptor is not None else chunk
                data = decompressor.decompress(packed)
                if data:
                    plain.update(data)
                    size += len(data)
                    if sink is not None:
                        sink(data)
                    if progress is not None:
                        progress.advance(len(data))
            if decryptor is not None:
                decryptor.finalize()
                stored_hash.update(tag)
                stored_size += len(tag)
            if not decompressor.eof:
                raise ObjectProblem("corrupt", "aliran zstd terpotong")
    except (ValueError, struct.error) as exc:
        raise ObjectProblem("corrupt", f"kepala objek rusak: {exc}") from None
    except zstandard.ZstdError as exc:
        raise ObjectProblem("corrupt", f"zstd: {exc}") from None
    except EncryptionError as exc:
        raise ObjectProblem("locked", str(exc)) from None
    except Exception as exc:
        if exc.__class__.__name__ == "InvalidTag":
            raise ObjectProblem("corrupt", "tanda autentikasi AES-GCM tidak cocok") from None
        raise
    return plain.hexdigest(), size, stored_hash.hexdigest(), stored_size
