"""Writes of the company data (REG-7): records, document versions and upload diagnostics.

Every write is atomic and ends with an audit event (AUD-1). An upload attempt
is recorded even when the upload is refused: the diagnostics row is written in
its own transaction so a refusal never rolls it back.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from lpse.audit.services import record, snapshot

from .company import CompanyDocument, CompanySection, UploadAttempt, UploadOutcome
from .uploads import UploadRejected, store_upload

DOCUMENT_FIELDS = [
    "vendor",
    "section",
    "record_id",
    "version",
    "original_name",
    "size",
    "detected_type",
    "md5",
    "sha256",
    "uploaded_by",
]


class CompanyDataLocked(PermissionDenied):
    """The vendor is not verified; `message` says why in Indonesian."""

    def __init__(self):
        self.message = gettext(
            "Data perusahaan hanya dapat diubah oleh penyedia yang sudah terverifikasi. "
            "Selesaikan verifikasi dokumen di kantor LPSE terlebih dahulu."
        )
        super().__init__(self.message)


def ensure_can_edit(vendor) -> None:
    if not vendor.can_edit_company_data:
        raise CompanyDataLocked


def _fields(obj) -> list[str]:
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    ]


def _user_agent(request) -> str:
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:300]


@transaction.atomic
def save_record(obj, *, by, request=None):
    """Create or change one record of a section; `obj.vendor` must be set."""
    ensure_can_edit(obj.vendor)
    creating = obj.pk is None
    before = None
    if not creating:
        before = snapshot(type(obj).objects.get(pk=obj.pk), _fields(obj))
    obj.updated_at = timezone.now()
    obj.save()
    record(
        f"vendors.company_{'add' if creating else 'change'}",
        actor=by,
        target=obj,
        before=before,
        after=snapshot(obj, _fields(obj)),
        summary=f"{obj._meta.verbose_name}: {obj}"[:500],
        request=request,
    )
    return obj


@transaction.atomic
def delete_record(obj, *, by, request=None) -> None:
    """Remove a record; its document versions stay stored (and downloadable by staff)."""
    ensure_can_edit(obj.vendor)
    before = snapshot(obj, _fields(obj))
    summary = f"{obj._meta.verbose_name}: {obj}"[:500]
    obj.delete()
    record(
        "vendors.company_delete",
        actor=by,
        target=None,
        before=before,
        summary=summary,
        request=request,
    )


def _log_attempt(**fields) -> UploadAttempt:
    with transaction.atomic():
        return UploadAttempt.objects.create(**fields)


def upload_document(
    vendor, section: str, record_id: int, uploaded, *, by, request=None
) -> CompanyDocument:
    """Check and store `uploaded` as the next version of the record's document.

    Raises UploadRejected (the earlier version stays current) after recording
    the attempt. Not atomic as a whole on purpose: the attempt row survives.
    """
    attempt = {
        "vendor": vendor,
        "user": by,
        "section": section,
        "record_id": record_id,
        "original_name": (getattr(uploaded, "name", "") or "")[:255],
        "declared_size": getattr(uploaded, "size", None),
        "user_agent": _user_agent(request),
    }
    if section != CompanySection.EMAIL_CHANGE and not vendor.can_edit_company_data:
        error = CompanyDataLocked()
        _log_attempt(
            **attempt,
            outcome=UploadOutcome.REJECTED,
            error_code="not_verified",
            error_message=error.message[:300],
        )
        raise error
    try:
        stored = store_upload(uploaded)
    except UploadRejected as rejected:
        _log_attempt(
            **attempt,
            bytes_received=rejected.size,
            detected_type=rejected.detected[:20],
            outcome=UploadOutcome.REJECTED,
            error_code=rejected.code,
            error_message=rejected.message[:300],
        )
        raise
    except OSError as error:
        _log_attempt(
            **attempt,
            outcome=UploadOutcome.ERROR,
            error_code="storage",
            error_message=str(error)[:300],
        )
        raise UploadRejected(
            "storage",
            gettext("Berkas tidak dapat disimpan karena gangguan server. Silakan coba lagi."),
        ) from error
    with transaction.atomic():
        document = _save_version(vendor, section, record_id, stored, attempt["original_name"], by)
        UploadAttempt.objects.create(
            **attempt,
            bytes_received=stored.size,
            detected_type=stored.detected_type,
            outcome=UploadOutcome.OK,
            document=document,
        )
        record(
            "vendors.document_upload",
            actor=by,
            target=document,
            after=snapshot(document, DOCUMENT_FIELDS),
            summary=(
                f"Dokumen {document.get_section_display()} v{document.version}: "
                f"{document.original_name} ({document.size} bita, SHA-256 {document.sha256})"
            )[:500],
            request=request,
        )
    return document


def _save_version(vendor, section, record_id, stored, original_name, by) -> CompanyDocument:
    type(vendor).objects.select_for_update().filter(pk=vendor.pk).first()  # one writer per vendor
    latest = CompanyDocument.objects.filter(section=section, record_id=record_id).aggregate(
        latest=Max("version")
    )["latest"]
    return CompanyDocument.objects.create(
        vendor=vendor,
        section=section,
        record_id=record_id,
        version=(latest or 0) + 1,
        original_name=original_name or stored.stored_name.rsplit("/", 1)[-1],
        stored_name=stored.stored_name,
        size=stored.size,
        detected_type=stored.detected_type,
        mime_type=stored.mime_type,
        md5=stored.md5,
        sha256=stored.sha256,
        uploaded_by=by,
    )


def record_stopped_upload(vendor, section: str, record_id, rejected, *, by, request=None):
    """Record an upload the size-limit handler stopped before the view saw it (REG-7)."""
    return _log_attempt(
        vendor=vendor,
        user=by,
        section=section,
        record_id=record_id,
        original_name=getattr(rejected, "file_name", "")[:255],
        declared_size=None,
        bytes_received=rejected.size,
        outcome=UploadOutcome.REJECTED,
        error_code=rejected.code,
        error_message=rejected.message[:300],
        user_agent=_user_agent(request),
    )
