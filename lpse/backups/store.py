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
from dataclasses import dataclass
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


class ObjectProblem(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def read_object(destination, name: str, keyring: Keyring | None, sink=None, progress=None):
    """Stream one object's plaintext into `sink` (a callable, or None to discard).

    Returns (plaintext sha256, size, stored sha256, stored size). Raises
    ObjectProblem("missing"/"corrupt"/"locked") with a message.
    """
    if not destination.exists(name):
        raise ObjectProblem("missing", "objek tidak ada di media")
    stored_hash = hashlib.sha256()
    stored_size = 0
    plain = hashlib.sha256()
    size = 0
    encrypted = name.endswith(".enc")
    try:
        with destination.open_read(name) as handle:
            decryptor = None
            if encrypted:
                total = destination.size(name)
                head = read_header(handle)
                header_size = handle.tell()
                handle.seek(0)
                stored_hash.update(handle.read(header_size))
                stored_size = header_size
                if keyring is None or not keyring.can_read():
                    # Without the key only the stored bytes can be checked.
                    while chunk := handle.read(CHUNK):
                        stored_hash.update(chunk)
                        stored_size += len(chunk)
                    return None, None, stored_hash.hexdigest(), stored_size
                handle.seek(total - TAG_SIZE)
                tag = handle.read(TAG_SIZE)
                handle.seek(header_size)
                decryptor = keyring.decryptor(head, tag)
                remaining = total - TAG_SIZE - header_size
            decompressor = zstandard.ZstdDecompressor().decompressobj()
            while True:
                if decryptor is not None:
                    if remaining <= 0:
                        break
                    chunk = handle.read(min(CHUNK, remaining))
                    if not chunk:
                        raise ObjectProblem("corrupt", "objek terpotong")
                    remaining -= len(chunk)
                else:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
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
