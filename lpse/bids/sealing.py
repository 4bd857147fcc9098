"""Browser uploads sealed while they stream in (BID-2): plaintext never touches the disk.

`SealingUploadHandler` is a Django upload handler. Every uploaded file goes, chunk
by chunk, into one ZIP stream (stored, no compression; `manifest.json` with each
file's name, size and SHA-256 is added last) that is written straight into a
`crypto.Sealer`, whose envelope goes to a temporary file in the bids directory.
So a browser bid is always one envelope whose content is a ZIP of the files, and
the plaintext fingerprints (MD5, SHA-256) on the receipt are those of the ZIP. Each file's
own size and SHA-256 are listed on the receipt too (MD5 only for the ZIP and the envelope:
one MD5 pass fewer per upload, MD5 being the slowest hash here).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone

from . import storage

MANIFEST = "manifest.json"


class _SealerSink:
    """A write-only stream for zipfile that hands every byte to the sealer (not seekable,
    so zipfile writes data descriptors and never seeks back)."""

    def __init__(self, sealer):
        self.sealer = sealer

    def write(self, data) -> int:
        self.sealer.write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def safe_name(name: str, taken: set[str]) -> str:
    """A plain file name for the ZIP (no directories, no control characters), unique."""
    base = PurePosixPath((name or "berkas").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    base = base[:180] or "berkas"
    if base == MANIFEST:
        base = f"_{base}"
    candidate, counter = base, 1
    while candidate in taken:
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem}-{counter}.{ext}" if dot else f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


class SealingUploadHandler(FileUploadHandler):
    chunk_size = 1024 * 1024

    def __init__(self, request, *, certificate, max_bytes: int, field: str = "files"):
        super().__init__(request)
        self.certificate = certificate
        self.max_bytes = max_bytes
        self.field = field
        self.temp_path: Path | None = None
        self._handle = None
        self._sealer = None
        self._zip: zipfile.ZipFile | None = None
        self._entry = None
        self._sha = None
        self._size = 0
        self.total = 0
        self.files: list[dict] = []
        self._taken: set[str] = set()
        self.result = None
        self.too_big = False

    def _start(self) -> None:
        from . import crypto

        self.temp_path, self._handle = storage.new_temp_file("seal-")
        self._sealer = crypto.Sealer(self.certificate, self._handle)
        self._zip = zipfile.ZipFile(_SealerSink(self._sealer), "w", zipfile.ZIP_STORED)

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self._zip is None:
            self._start()
        name = safe_name(file_name, self._taken)
        info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED
        self._entry = self._zip.open(info, "w", force_zip64=True)
        self._sha, self._size = hashlib.sha256(), 0
        self._name = name

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > self.max_bytes:
            self.too_big = True
            self.discard()
            raise StopUpload(connection_reset=True)
        self._entry.write(raw_data)
        self._sha.update(raw_data)
        self._size += len(raw_data)
        return None

    def file_complete(self, file_size):
        if self._entry is None:
            return None
        self._entry.close()
        self._entry = None
        self.files.append(
            {
                "name": self._name,
                "size": self._size,
                "sha256": self._sha.hexdigest(),
            }
        )
        # A marker for request.FILES: the content is already sealed, never kept here.
        return SimpleUploadedFile(self._name, b"", content_type="application/octet-stream")

    def upload_complete(self):
        if self._zip is None or self.too_big or not self.files:
            self.discard()
            return None
        manifest = json.dumps({"files": self.files}, indent=2, ensure_ascii=False).encode()
        self._zip.writestr(MANIFEST, manifest)
        self._zip.close()
        self.result = self._sealer.finish()
        self._handle.close()  # fsynced by storage.place_sealed before it is renamed into place
        self._handle = None
        return None

    def upload_interrupted(self):
        self.discard()

    def discard(self) -> None:
        """Drop everything written so far (refused, interrupted or failed upload)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        storage.remove_quietly(self.temp_path)
        self.temp_path = None
        self.result = None
