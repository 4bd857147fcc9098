"""Checking and storing uploaded documents (REG-7, SEC-3).

One pass over the upload's chunks computes the size, MD5 and SHA-256 and
writes a temporary file next to the final place; the file is never read into
memory whole. The type comes from the first bytes (magic numbers), never from
the name or the browser's declared type. The stored name is derived from the
SHA-256, so the user's file name never reaches the file system.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext

#: detected type -> (magic prefix, MIME type, extension)
SIGNATURES: dict[str, tuple[bytes, str, str]] = {
    "pdf": (b"%PDF-", "application/pdf", "pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
}
HEAD_BYTES = 8
STORE_DIR = "dokumen"


class UploadRejected(ValueError):
    """The upload was refused; `code` for diagnostics, `message` in Indonesian for the user."""

    def __init__(self, code: str, message: str, *, size: int = 0, detected: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.size = size
        self.detected = detected


@dataclass(frozen=True)
class StoredUpload:
    size: int
    detected_type: str
    mime_type: str
    md5: str
    sha256: str
    stored_name: str  # relative to MEDIA_ROOT


def max_upload_bytes() -> int:
    return settings.LPSE_MAX_UPLOAD_MB * 1024 * 1024


def detect_type(head: bytes) -> str:
    """'pdf', 'jpeg', 'png' or '' from the first bytes of a file."""
    for name, (magic, _mime, _ext) in SIGNATURES.items():
        if head.startswith(magic):
            return name
    return ""


def describe_head(head: bytes) -> str:
    """A short description of an unknown file's start, for diagnostics ('MZ' = Windows program)."""
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return head[:HEAD_BYTES].hex()


def stored_path(stored_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / stored_name


def _too_big_message(limit: int) -> str:
    return gettext("Berkas melebihi batas ukuran %(mb)d MB.") % {"mb": limit // (1024 * 1024)}


def store_upload(uploaded) -> StoredUpload:
    """Check `uploaded` (a Django UploadedFile) and store it under its SHA-256.

    Raises UploadRejected (nothing stored) for an empty, oversized or
    wrongly typed file.
    """
    limit = max_upload_bytes()
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > limit:
        raise UploadRejected("too_large", _too_big_message(limit), size=declared)
    directory = Path(settings.MEDIA_ROOT) / STORE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    md5 = hashlib.md5()  # noqa: S324 - a fingerprint the regulation's users compare, not security
    sha256 = hashlib.sha256()
    size = 0
    head = b""
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in uploaded.chunks():
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                size += len(chunk)
                if size > limit:
                    raise UploadRejected("too_large", _too_big_message(limit), size=size)
                md5.update(chunk)
                sha256.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected("empty", gettext("Berkas kosong (0 bita)."), size=0)
        detected = detect_type(head)
        if not detected:
            raise UploadRejected(
                "bad_type",
                gettext(
                    "Jenis berkas tidak diterima: isinya bukan PDF, JPEG atau PNG "
                    "(nama berkas tidak menentukan jenisnya)."
                ),
                size=size,
                detected=describe_head(head),
            )
        digest = sha256.hexdigest()
        extension = SIGNATURES[detected][2]
        stored_name = f"{STORE_DIR}/{digest[:2]}/{digest}.{extension}"
        final = stored_path(stored_name)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp_name, final)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return StoredUpload(
        size=size,
        detected_type=detected,
        mime_type=SIGNATURES[detected][1],
        md5=md5.hexdigest(),
        sha256=digest,
        stored_name=stored_name,
    )


class SizeLimitHandler(FileUploadHandler):
    """Stops reading a file field once it passes the limit, before it is all on disk.

    Installed first in `request.upload_handlers` by `limit_request_uploads`; it
    notes the file's name and the bytes received on the request so the view can
    refuse with the reason and record the attempt.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.request.upload_too_large = None

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > self.limit:
            self.request.upload_too_large = (self.file_name or "", received)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_request_uploads(request) -> None:
    """Put the size limit in front of Django's upload handlers (call before reading POST)."""
    request.upload_too_large = None
    request.upload_handlers.insert(0, SizeLimitHandler(request, max_upload_bytes()))


def too_large_rejection(request) -> UploadRejected | None:
    """The refusal for a file the handler stopped, with the bytes received, else None."""
    stopped = getattr(request, "upload_too_large", None)
    if not stopped:
        return None
    name, received = stopped
    rejected = UploadRejected("too_large", _too_big_message(max_upload_bytes()), size=received)
    rejected.file_name = name
    return rejected
