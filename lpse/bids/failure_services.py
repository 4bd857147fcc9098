"""Writes of the failed-opening procedure (ERR-1, SOP 3.1 steps 1-3, Pasal 9(2)).

1. `file_request`: the committee asks the head of LPSE, pointing at failed bids of the
   opening and/or uploading the files that came on CD/e-mail; the SOP 3.1 case opens with
   step 1 done and each file is diagnosed automatically (diagnosis.py).
2. `start_handling`, `record_attempt`, `finish_handling`: LPSE staff try each file
   themselves (step 2, 5-15 minutes); an opened file's plaintext goes to the committee's
   protected area.
3. In `failure_escalation`: `issue_report`, the numbered Berita Acara Kesaksian signed by
   the LPSE (PAdES), and `escalate`, `record_lkpp_answer`: files still unopened go to LKPP
   by e-mail with the report and the files (step 3, 1-5 minutes); LKPP's answer closes the
   case.

Every service is atomic, locks the request, writes a transition row for each status move
and ends with an audit event.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.audit.services import record, snapshot
from lpse.core.access import user_has_any_role
from lpse.sop.models import StepRun
from lpse.sop.services import close_case, finish_step, open_case, start_step

from . import diagnosis as diag
from .choices import OpeningOutcome
from .failure_choices import (
    AttemptOutcome,
    Diagnosis,
    FileOutcome,
    FileSource,
    RequestChannel,
    RequestResult,
    RequestStatus,
    can_move,
)
from .failure_models import (
    FailedFile,
    FailedOpeningRequest,
    FailedOpeningTransition,
    OpeningAttempt,
)
from .models import BidOpening

SOP_CODE = "3.1"
#: Who handles the request at the LPSE (SOP 3.1 executors: Kepala LPSE, Koordinator/Admin PPE,
#: Admin PPE/Admin Sistem).
STAFF_ROLES = (Role.HEAD, Role.APPADMIN, Role.SYSADMIN)
#: Who may read the requests: the staff above and the helpdesk, which SOP 3.1 charges with
#: recording these incidents ("Helpdesk mencatat kejadian ..."); only the staff act on them.
READER_ROLES = (*STAFF_ROLES, Role.HELPDESK)
REQUEST_FIELDS = [
    "reference",
    "tender",
    "channel",
    "letter_reference",
    "letter_date",
    "status",
    "handled_by",
    "lkpp_email",
    "lkpp_reference",
    "result",
]
CHUNK = 1024 * 1024


class FailureError(ValueError):
    """A service refused; `message` is the Indonesian text, `field` the form field if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class UploadedBidFile:
    """A file from a CD/e-mail with what the receipt said about it (all optional)."""

    file: object  # a Django UploadedFile
    vendor_name: str = ""
    expected_md5: str = ""
    expected_sha256: str = ""
    expected_size: int | None = None
    signature: bytes = b""


# --- Helpers ---------------------------------------------------------------------------------


def bids_root() -> Path:
    return Path(settings.LPSE_BIDS_DIR)


def is_staff(user) -> bool:
    return user_has_any_role(user, STAFF_ROLES)


def is_committee_of(tender, user) -> bool:
    from .selectors import is_member

    return is_member(tender, user)


def _lock(request: FailedOpeningRequest) -> FailedOpeningRequest:
    return FailedOpeningRequest.objects.select_for_update().get(pk=request.pk)


def _refresh(target, source) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _move(request: FailedOpeningRequest, target: str, *, by, at: datetime, note: str = ""):
    """Move a LOCKED request: the transition row and the status (the caller audits)."""
    if not can_move(request.status, target):
        raise FailureError(
            gettext("Permohonan berstatus %(current)s tidak dapat diubah menjadi %(target)s.")
            % {
                "current": RequestStatus(request.status).label,
                "target": RequestStatus(target).label,
            }
        )
    FailedOpeningTransition.objects.create(
        request=request,
        from_status=request.status,
        to_status=target,
        at=at,
        by=by,
        note=note[:300],
    )
    request.status = target
    request.save(update_fields=["status"])


def _case(request: FailedOpeningRequest):
    from lpse.sop.choices import CaseStatus

    return request.sop_cases.filter(status=CaseStatus.OPEN).first()


def _running(case, number: int) -> StepRun | None:
    if case is None:
        return None
    return StepRun.objects.filter(case=case, step__number=number, ended_at__isnull=True).first()


def _start(case, number: int, *, by, at: datetime) -> None:
    if case is not None and _running(case, number) is None:
        start_step(case, number, by=by, at=at)


def _finish(case, number: int, *, by, at: datetime, note: str = "") -> None:
    run = _running(case, number)
    if run is not None:
        finish_step(case, number, by=by, at=max(at, run.started_at), note=note)


def clean_hex(value: str, length: int, name: str, field: str) -> str:
    value = "".join((value or "").split()).lower()
    if value and not re.fullmatch(rf"[0-9a-f]{{{length}}}", value):
        raise FailureError(
            gettext("%(name)s dari tanda terima tidak valid (harus %(length)s digit heksadesimal).")
            % {"name": name, "length": length},
            field,
        )
    return value


def _write_stream(chunks, directory: Path, prefix: str) -> tuple[Path, int, str, str]:
    """Write chunks to a new temporary file in `directory`, fsynced; returns its path, size,
    MD5 and SHA-256."""
    directory.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=prefix)
    md5, sha256, size = hashlib.md5(usedforsecurity=False), hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                md5.update(chunk)
                sha256.update(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name), size, md5.hexdigest(), sha256.hexdigest()


def store_uploaded(uploaded) -> tuple[str, int, str, str]:
    """Keep an uploaded bid file under LPSE_BIDS_DIR/failures by its SHA-256 (write-once)."""
    temp, size, md5, sha256 = _write_stream(
        uploaded.chunks(CHUNK), bids_root() / "failures" / "tmp", ".upload-"
    )
    stored_name = f"failures/{sha256[:2]}/{sha256}.p7m"
    final = bids_root() / stored_name
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        temp.unlink(missing_ok=True)
    else:
        os.replace(temp, final)
    return stored_name, size, md5, sha256


def plain_name_for(file: FailedFile) -> str:
    """Where a rescued file's plaintext lives: beside the tender's opened bids, under the same
    protected root, served only to its committee (not under opened/, whose directories the
    bids cleanup ties to Opening rows)."""
    return f"rescued/{file.request.tender.code}/{file.request_id}-{file.pk}.bin"


def certificate_of(tender):
    """The tender's certificate (cryptography object), or None without a tender key."""
    from cryptography import x509

    from .models import TenderKey

    key = TenderKey.objects.filter(tender=tender).first()
    if key is None:
        return None
    return x509.load_pem_x509_certificate(key.certificate_pem.encode())


def _apply(file: FailedFile, result: diag.Result) -> None:
    file.diagnosis = result.code
    file.diagnosis_message = result.message[:2000]
    file.diagnosis_advice = result.advice
    file.diagnosis_details = result.details
    file.diagnosed_at = timezone.now()
    if result.fingerprint is not None:
        file.size = result.fingerprint.size
        file.md5 = result.fingerprint.md5
        file.sha256 = result.fingerprint.sha256


def run_diagnosis(file: FailedFile, *, private_key=None) -> diag.Result:
    """Diagnose one file (without the key unless given) and keep the result on the row; with
    the key and success, the plaintext is moved to the committee area."""
    certificate = certificate_of(file.request.tender)
    path = bids_root() / file.stored_name if file.stored_name else None
    expected = diag.Expected(
        size=file.expected_size, md5=file.expected_md5, sha256=file.expected_sha256
    )
    plain_path = None
    if private_key is not None:
        plain_path = bids_root() / plain_name_for(file)
        plain_path.parent.mkdir(parents=True, exist_ok=True)
    result = diag.diagnose(
        path,
        certificate=certificate,
        expected=expected,
        private_key=private_key,
        signature=bytes(file.signature or b""),
        plain_path=plain_path,
    )
    _apply(file, result)
    if result.plain is not None and plain_path is not None:
        file.plain_name = plain_name_for(file)
        file.plain_size = result.plain.size
        file.plain_md5 = result.plain.md5
        file.plain_sha256 = result.plain.sha256
    return result


# --- Step 1: the request -----------------------------------------------------------------------


@transaction.atomic
def file_request(
    tender,
    *,
    by,
    channel: str = RequestChannel.SYSTEM,
    letter_reference: str = "",
    letter_date: date | None = None,
    description: str = "",
    results: list[BidOpening] | tuple = (),
    uploads: list[UploadedBidFile] | tuple = (),
    request=None,
) -> FailedOpeningRequest:
    """The committee's request to the head of LPSE (SOP 3.1 step 1, ERR-1)."""
    if not is_committee_of(tender, by):
        raise FailureError(
            gettext("Hanya anggota Pokja Pemilihan tender ini yang dapat mengajukan permohonan.")
        )
    if channel not in RequestChannel.values:
        raise FailureError(gettext("Pilih cara pengajuan."), "channel")
    letter_reference = (letter_reference or "").strip()
    if channel != RequestChannel.SYSTEM and not letter_reference:
        raise FailureError(
            gettext("Nomor surat atau perihal e-mail permohonan wajib diisi."), "letter_reference"
        )
    if letter_date and letter_date > timezone.localdate():
        raise FailureError(
            gettext("Tanggal surat/e-mail tidak boleh setelah hari ini."), "letter_date"
        )
    results = list(results)
    uploads = list(uploads)
    if not results and not uploads:
        raise FailureError(
            gettext("Pilih penawaran yang gagal dibuka atau unggah berkasnya."), "results"
        )
    for result in results:
        if result.opening.tender_id != tender.pk:
            raise FailureError(gettext("Hasil pembukaan bukan dari tender ini."), "results")
        if result.outcome != OpeningOutcome.FAILED:
            raise FailureError(
                gettext("Penawaran %(vendor)s sudah berhasil dibuka; tidak perlu ditangani.")
                % {"vendor": result.bid.participant.vendor.name},
                "results",
            )
        if FailedFile.objects.filter(
            bid_opening=result, request__status__in=_open_statuses()
        ).exists():
            raise FailureError(
                gettext("Penawaran %(vendor)s sudah dalam permohonan yang sedang ditangani.")
                % {"vendor": result.bid.participant.vendor.name},
                "results",
            )
    checked = []
    for item in uploads:
        md5 = clean_hex(item.expected_md5, 32, "MD5", "expected_md5")
        sha256 = clean_hex(item.expected_sha256, 64, "SHA-256", "expected_sha256")
        checked.append((item, md5, sha256))
    now = timezone.now()
    filed = FailedOpeningRequest.objects.create(
        tender=tender,
        channel=channel,
        letter_reference=letter_reference[:150],
        letter_date=letter_date,
        description=(description or "").strip(),
        filed_by=by,
        filed_at=now,
    )
    filed.reference = f"PB-{timezone.localtime(now).year}-{filed.pk:06d}"
    filed.save(update_fields=["reference"])
    FailedOpeningTransition.objects.create(
        request=filed,
        from_status="",
        to_status=RequestStatus.FILED,
        at=now,
        by=by,
        note=gettext("Permohonan diajukan ke Kepala LPSE."),
    )
    for result in results:
        bid = result.bid
        FailedFile.objects.create(
            request=filed,
            source=FileSource.SYSTEM,
            bid=bid,
            bid_opening=result,
            vendor_name=bid.participant.vendor.name[:255],
            original_name=(bid.original_name or f"penawaran-{bid.pk}.p7m")[:255],
            stored_name=bid.sealed_name,
            expected_size=bid.sealed_size,
            expected_md5=bid.sealed_md5,
            expected_sha256=bid.sealed_sha256,
        )
    for item, md5, sha256 in checked:
        stored_name, _size, _md5, _sha = store_uploaded(item.file)
        FailedFile.objects.create(
            request=filed,
            source=FileSource.UPLOAD,
            vendor_name=(item.vendor_name or "").strip()[:255],
            original_name=(getattr(item.file, "name", "") or "berkas.p7m")[:255],
            stored_name=stored_name,
            expected_size=item.expected_size,
            expected_md5=md5,
            expected_sha256=sha256,
            signature=item.signature or b"",
        )
    for file in filed.files.select_related("request__tender"):
        run_diagnosis(file)
        file.save()
    case = open_case(SOP_CODE, subject=filed, by=by, title=f"{filed.reference} {tender.code}")
    start_step(case, 1, by=by, at=now)
    finish_step(case, 1, by=by, at=now, note=letter_reference[:200])
    record(
        "bids.failed_opening_filed",
        actor=by,
        target=filed,
        after=snapshot(filed, REQUEST_FIELDS)
        | {"files": list(filed.files.values_list("sha256", "diagnosis"))},
        summary=f"Permohonan {filed.reference}: {filed.files.count()} berkas penawaran tender "
        f"{tender.code} tidak bisa dibuka",
        request=request,
    )
    from .failure_tasks import notify_staff

    transaction.on_commit(lambda: notify_staff(filed.pk))
    return filed


def _open_statuses() -> list[str]:
    return [
        RequestStatus.FILED,
        RequestStatus.HANDLING,
        RequestStatus.HANDLED,
        RequestStatus.ESCALATED,
    ]


# --- Step 2: LPSE staff try the files ----------------------------------------------------------


def _require_staff(user) -> None:
    if not is_staff(user):
        raise FailureError(
            gettext("Hanya Kepala LPSE, Admin PPE atau Admin Sistem yang dapat menangani berkas.")
        )


@transaction.atomic
def start_handling(request_obj: FailedOpeningRequest, *, by, request=None):
    """Staff take up the request: SOP 3.1 step 2 starts (5-15 minutes)."""
    _require_staff(by)
    locked = _lock(request_obj)
    before = snapshot(locked, REQUEST_FIELDS)
    now = timezone.now()
    _move(locked, RequestStatus.HANDLING, by=by, at=now, note=gettext("Mulai ditangani."))
    locked.handled_by, locked.handling_started_at = by, now
    locked.save(update_fields=["handled_by", "handling_started_at"])
    _start(_case(locked), 2, by=by, at=now)
    record(
        "bids.failed_opening_handling",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, REQUEST_FIELDS),
        summary=f"Permohonan {locked.reference} mulai ditangani staf LPSE",
        request=request,
    )
    _refresh(request_obj, locked)
    return request_obj


def tender_private_key(
    tender,
    *,
    key_pem: bytes = b"",
    key_passphrase: str = "",
    passphrases: dict[int, str] | None = None,
):
    """The tender's private key for an attempt: the offline key file (checked against the
    tender's certificate) or the committee members' passphrases over their shares (k of n),
    exactly as at the opening; None when neither was given. Nothing is stored."""
    from .errors import BidError
    from .models import TenderKey
    from .opening import _key_from_file, _key_from_shares

    given = {member: phrase for member, phrase in (passphrases or {}).items() if phrase}
    if not key_pem and not given:
        return None
    tender_key = TenderKey.objects.filter(tender=tender).first()
    if tender_key is None:
        raise FailureError(gettext("Tender ini belum memiliki kunci penawaran."), "key_file")
    try:
        if key_pem:
            return _key_from_file(tender_key, key_pem, key_passphrase)
        if tender_key.is_offline:
            raise FailureError(
                gettext("Kunci tender ini luring: unggah berkas kunci privatnya."), "key_file"
            )
        key, _members = _key_from_shares(tender_key, given)
        return key
    except BidError as error:
        raise FailureError(error.message, error.field) from None


def _store_plain_upload(file: FailedFile, uploaded) -> None:
    target = bids_root() / plain_name_for(file)
    temp, size, md5, sha256 = _write_stream(uploaded.chunks(CHUNK), target.parent, ".plain-")
    os.replace(temp, target)
    file.plain_name = plain_name_for(file)
    file.plain_size, file.plain_md5, file.plain_sha256 = size, md5, sha256


@transaction.atomic
def record_attempt(
    file: FailedFile,
    *,
    by,
    outcome: str = "",
    notes: str = "",
    key_pem: bytes = b"",
    key_passphrase: str = "",
    passphrases: dict[int, str] | None = None,
    plain_file=None,
    request=None,
) -> OpeningAttempt:
    """Staff's own attempt on one file (SOP 3.1 step 2). With the tender's private key (the
    offline key file, or the passphrases of k committee members present) the server tries the
    decryption itself and the outcome follows; without it the staff say what happened, and an
    opened file needs its plaintext uploaded."""
    _require_staff(by)
    locked = _lock(file.request)
    if locked.status != RequestStatus.HANDLING:
        raise FailureError(gettext("Mulai penanganan dahulu; percobaan dicatat saat ditangani."))
    file = FailedFile.objects.select_for_update().select_related("request__tender").get(pk=file.pk)
    notes = (notes or "").strip()
    previous = (
        OpeningAttempt.objects.filter(file__request=locked)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    started = max(filter(None, [locked.handling_started_at, previous]))
    key = tender_private_key(
        locked.tender, key_pem=key_pem, key_passphrase=key_passphrase, passphrases=passphrases
    )
    used_key = key is not None
    error_code = ""
    if used_key:
        result = run_diagnosis(file, private_key=key)
        outcome = (
            AttemptOutcome.OPENED if result.code == Diagnosis.OPENABLE else (AttemptOutcome.FAILED)
        )
        error_code = "" if outcome == AttemptOutcome.OPENED else result.code
    else:
        if outcome not in AttemptOutcome.values:
            raise FailureError(gettext("Pilih hasil percobaan."), "outcome")
        if outcome == AttemptOutcome.OPENED:
            if plain_file is None:
                raise FailureError(
                    gettext(
                        "Berkas dinyatakan terbuka: unggah hasil pembukaannya (isi penawaran) "
                        "atau coba dengan kunci privat tender."
                    ),
                    "plain_file",
                )
            _store_plain_upload(file, plain_file)
        elif not notes:
            raise FailureError(
                gettext("Tuliskan apa yang dicoba dan mengapa berkas tetap gagal."), "notes"
            )
        error_code = "" if outcome == AttemptOutcome.OPENED else file.diagnosis
    now = timezone.now()
    attempt = OpeningAttempt.objects.create(
        file=file,
        by=by,
        started_at=min(started, now),
        finished_at=now,
        used_key=used_key,
        outcome=outcome,
        error_code=error_code,
        notes=notes,
    )
    file.outcome = FileOutcome.OPENED if outcome == AttemptOutcome.OPENED else FileOutcome.FAILED
    file.save()
    record(
        "bids.failed_opening_attempt",
        actor=by,
        target=file,
        after={
            "request": locked.reference,
            "file": file.sha256,
            "outcome": outcome,
            "used_key": used_key,
            "error_code": error_code,
            "plain_sha256": file.plain_sha256,
        },
        summary=f"Percobaan membuka {file.original_name} ({locked.reference}): {outcome}",
        request=request,
    )
    return attempt


@transaction.atomic
def finish_handling(request_obj: FailedOpeningRequest, *, by, request=None):
    """Step 2 ends once every file has an outcome; all opened closes the case, otherwise
    step 3 (sending to LKPP, 1-5 minutes) starts."""
    _require_staff(by)
    locked = _lock(request_obj)
    if locked.status != RequestStatus.HANDLING:
        raise FailureError(gettext("Permohonan ini tidak sedang ditangani."))
    files = list(locked.files.all())
    if any(file.outcome == FileOutcome.PENDING for file in files):
        raise FailureError(gettext("Catat percobaan untuk setiap berkas terlebih dahulu."))
    before = snapshot(locked, REQUEST_FIELDS)
    now = timezone.now()
    case = _case(locked)
    _finish(case, 2, by=by, at=now)
    locked.handling_finished_at = now
    locked.save(update_fields=["handling_finished_at"])
    if all(file.outcome == FileOutcome.OPENED for file in files):
        _close(locked, RequestResult.ALL_OPENED, by=by, at=now)
    else:
        _move(
            locked,
            RequestStatus.HANDLED,
            by=by,
            at=now,
            note=gettext("Ada berkas yang tetap gagal dibuka."),
        )
        _start(case, 3, by=by, at=now)
    record(
        "bids.failed_opening_handled",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, REQUEST_FIELDS)
        | {"opened": sum(file.outcome == FileOutcome.OPENED for file in files)},
        summary=f"Penanganan permohonan {locked.reference} selesai",
        request=request,
    )
    _refresh(request_obj, locked)
    return request_obj


def _close(locked: FailedOpeningRequest, result: str, *, by, at: datetime) -> None:
    _move(locked, RequestStatus.CLOSED, by=by, at=at, note=str(RequestResult(result).label))
    locked.result, locked.closed_at, locked.closed_by = result, at, by
    locked.save(update_fields=["result", "closed_at", "closed_by"])
    case = _case(locked)
    if case is not None:
        close_case(case, by=by, outcome=str(RequestResult(result).label), at=at)
