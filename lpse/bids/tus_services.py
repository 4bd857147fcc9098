"""Resumable uploads of pre-sealed envelopes, tus 1.0 (BID-2).

The bytes go to `tus/<id>.part`; the file's size is the confirmed offset (each
PATCH is fsynced before it answers). When the last byte arrives the envelope
is checked (CMS, addressed to this tender's certificate, optional client
checksum) and becomes a bid through `submission.submit_bid`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from lpse.audit.services import record

from . import storage
from .choices import BidSource, TransitionKind, TusStatus
from .crypto import Fingerprint
from .errors import BidError
from .key_services import transition
from .models import Bid, TusUpload
from .submission import check_can_submit, check_presealed, check_upload_stage, submit_bid

CHUNK = 256 * 1024


def create_upload(tender, *, length: int, metadata: dict, by, request=None) -> TusUpload:
    """Open a resumable upload of `length` bytes. `metadata` as tus sends it: filename, the
    envelope's sha256/md5 (checked at the end) and, when the vendor knows them, the
    plaintext's plain_size/plain_md5/plain_sha256 (recorded on the bid, checked at opening)."""
    participant, tender_key = check_can_submit(tender, by)
    if length < 1:
        raise BidError(gettext_lazy("Ukuran unggahan tidak sah."), status=400, code="invalid")
    if length > tender_key.max_bytes:
        raise BidError(
            gettext_lazy("Berkas melebihi batas %(mb)d MB untuk tender ini."),
            status=413,
            code="too_large",
            params={"mb": tender_key.max_bytes // (1024 * 1024)},
        )
    plain_fingerprint(metadata)  # refuses a partial or malformed plaintext fingerprint
    with transaction.atomic():
        upload = TusUpload.objects.create(
            tender=tender, participant=participant, user=by, length=length, metadata=metadata
        )
        storage.tus_path(upload.id).touch(mode=0o600)
        transition(tender, TransitionKind.UPLOAD, "", TusStatus.OPEN, by=by, object_id=upload.id)
        record(
            "bids.upload_start",
            actor=by,
            target=tender,
            after={
                "upload": str(upload.id),
                "length": length,
                "name": metadata.get("filename", ""),
            },
            summary=f"Unggahan amplop tersegel dimulai, tender {tender.code}",
            request=request,
        )
    return upload


def plain_fingerprint(metadata: dict) -> Fingerprint | None:
    """The plaintext fingerprint the vendor declared (all three values, or none)."""
    values = [metadata.get(key) or "" for key in ("plain_size", "plain_md5", "plain_sha256")]
    if not any(values):
        return None
    size, md5, sha256 = (str(value).strip().lower() for value in values)
    if not (
        size.isdigit()
        and len(size) <= 18
        and len(md5) == 32
        and len(sha256) == 64
        and all(c in "0123456789abcdef" for c in md5 + sha256)
    ):
        raise BidError(
            gettext_lazy(
                "Sidik jari berkas asli harus lengkap: plain_size, plain_md5 dan plain_sha256."
            ),
            status=400,
            code="invalid_plain_fingerprint",
        )
    return Fingerprint(size=int(size), md5=md5, sha256=sha256)


def current_offset(upload: TusUpload) -> int:
    try:
        return storage.tus_path(upload.id).stat().st_size
    except FileNotFoundError:
        return 0


class Busy(BidError):
    pass


def append(upload: TusUpload, *, offset: int, stream, content_length: int | None, by, request=None):
    """Append the request body at `offset`; returns (new offset, bid or None)."""
    if upload.status != TusStatus.OPEN:
        raise BidError(gettext("Unggahan ini sudah selesai atau dibatalkan."), status=404)
    check_upload_stage(upload.tender, timezone.now())
    path = storage.tus_path(upload.id)
    with open(path, "ab") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(gettext("Bagian lain unggahan ini sedang dikirim."), status=409) from None
        size = os.fstat(handle.fileno()).st_size
        if offset != size:
            raise BidError(
                gettext("Posisi unggahan tidak cocok: server sudah menerima %(size)d bita.")
                % {"size": size},
                status=409,
            )
        remaining = upload.length - size
        if content_length is not None and content_length > remaining:
            raise BidError(gettext("Data melebihi ukuran unggahan yang diumumkan."), status=413)
        try:
            while remaining > 0:
                chunk = stream.read(min(CHUNK, remaining))
                if not chunk:
                    break
                handle.write(chunk)
                remaining -= len(chunk)
        finally:
            handle.flush()
            os.fsync(handle.fileno())
            new_offset = os.fstat(handle.fileno()).st_size
            TusUpload.objects.filter(pk=upload.pk).update(
                offset=new_offset, updated_at=timezone.now()
            )
    upload.offset = new_offset
    bid = None
    if new_offset == upload.length:
        bid = finish(upload, by=by, request=request)
    return new_offset, bid


def _sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def finish(upload: TusUpload, *, by, request=None) -> Bid:
    """The complete envelope becomes a bid, or the upload is aborted with the reason."""
    from .models import TenderKey

    path = storage.tus_path(upload.id)
    try:
        tender_key = TenderKey.objects.get(tender=upload.tender)
        sealed = check_presealed(path, tender_key)
        expected = (upload.metadata.get("sha256") or "").lower()
        expected_md5 = (upload.metadata.get("md5") or "").lower()
        if (expected and expected != sealed.sha256) or (
            expected_md5 and expected_md5 != sealed.md5
        ):
            raise BidError(
                gettext_lazy(
                    "SHA-256 berkas yang diterima (%(got)s) tidak sama dengan milik Anda "
                    "(%(want)s). Unggah ulang."
                ),
                status=422,
                code="fingerprint_mismatch",
                params={"got": sealed.sha256, "want": expected or expected_md5},
            )
        bid = submit_bid(
            upload.participant,
            temp_path=path,
            sealed=sealed,
            plain=plain_fingerprint(upload.metadata),
            source=BidSource.PRESEALED,
            original_name=upload.metadata.get("filename", ""),
            by=by,
            request=request,
        )
    except BidError as error:
        abort(upload, reason=error.message, by=by)
        raise
    TusUpload.objects.filter(pk=upload.pk).update(
        status=TusStatus.FINISHED, bid=bid, updated_at=timezone.now()
    )
    transition(
        upload.tender,
        TransitionKind.UPLOAD,
        TusStatus.OPEN,
        TusStatus.FINISHED,
        by=by,
        object_id=upload.id,
    )
    return bid


@transaction.atomic
def abort(upload: TusUpload, *, reason: str = "", by, request=None) -> None:
    storage.remove_quietly(storage.tus_path(upload.id))
    TusUpload.objects.filter(pk=upload.pk).update(
        status=TusStatus.ABORTED, error=reason[:2000], updated_at=timezone.now()
    )
    transition(
        upload.tender,
        TransitionKind.UPLOAD,
        TusStatus.OPEN,
        TusStatus.ABORTED,
        by=by,
        object_id=upload.id,
        note=reason,
    )
    record(
        "bids.upload_abort",
        actor=by,
        target=upload.tender,
        after={"upload": str(upload.id), "reason": reason[:500]},
        summary=f"Unggahan amplop tersegel dibatalkan, tender {upload.tender.code}",
        request=request,
    )
