"""Fingerprints (size, MD5, SHA-256) of plaintext and sealed bytes (BID-3).

The regulation names MD5 (Perpres 54/2010 Pasal 1 no. 30 as applied by the
LPSE), SHA-256 is what we trust. Both are computed in the same pass as the
encryption. Large updates run on a small shared thread pool: hashlib releases
the GIL, so on two cores the plaintext is hashed while the caller encrypts
and hashes the sealed bytes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

PARALLEL_MIN = 256 << 10  # below this, hashing on the pool costs more than it saves
READ_SIZE = 1 << 20

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """The shared pool, made anew in a forked child (its threads do not survive a fork)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lpse-hash")
            _pool_pid = os.getpid()
        return _pool


@dataclass(frozen=True)
class Fingerprint:
    """Size in bytes and lowercase hex MD5 and SHA-256 of a byte sequence."""

    size: int
    md5: str
    sha256: str


@dataclass(frozen=True)
class SealResult:
    """Fingerprints of the plaintext and of the envelope written."""

    plain: Fingerprint
    sealed: Fingerprint


class Hashes:
    """MD5 + SHA-256 + byte count, updated together."""

    def __init__(self) -> None:
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.sha256 = hashlib.sha256()
        self.size = 0

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self.md5.update(data)
        self.sha256.update(data)
        self.size += len(data)

    def update_soon(self, data: bytes | bytearray | memoryview) -> Future | None:
        """Update on the pool when ``data`` is large; wait for the returned future."""
        if len(data) < PARALLEL_MIN:
            self.update(data)
            return None
        return _executor().submit(self.update, data)

    def result(self) -> Fingerprint:
        return Fingerprint(self.size, self.md5.hexdigest(), self.sha256.hexdigest())


def fingerprint_stream(source: BinaryIO) -> Fingerprint:
    """Fingerprint of everything left in ``source`` (read in 1 MiB blocks)."""
    hashes = Hashes()
    pending: Future | None = None
    while True:
        block = source.read(READ_SIZE)
        if pending is not None:
            pending.result()
            pending = None
        if not block:
            break
        # MD5 on the pool while this thread does SHA-256 of the same block.
        if len(block) >= PARALLEL_MIN:
            pending = _executor().submit(hashes.md5.update, block)
        else:
            hashes.md5.update(block)
        hashes.sha256.update(block)
        hashes.size += len(block)
    return hashes.result()
