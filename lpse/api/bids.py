"""Sealed bids over the JSON API (GEN-3, BID-2): what `lpse-seal upload` uses.

A vendor's script asks whether it may upload to a tender now (and why not), with the
tender certificate to check its envelope against; creates a resumable upload from
JSON and sends the bytes with tus (`PATCH` on the returned URL, same token); reads
the upload's progress and, once finished, the LPSE-signed receipt. Access is the
pages': `get_tender_for_user`, the submission checks of `lpse.bids.submission`,
`get_own_bid` (another company's receipt is a 404). Refusals carry the bid
services' codes (`not_participant`, `not_upload_stage`, `too_large`, ...).
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import BeforeValidator

from lpse.accounts.choices import Role
from lpse.bids import selectors as bid_selectors
from lpse.bids import tus_services
from lpse.bids.errors import BidError
from lpse.bids.submission import check_can_submit
from lpse.core.access import user_has_any_role
from lpse.tenders.choices import StageKind
from lpse.tenders.selectors import get_tender_for_user, participant_for

from .auth import TokenAuth
from .choices import Scope
from .errors import (
    READ_ONLY_ERRORS,
    TOKEN_ERRORS,
    ApiError,
    Message,
    both_languages,
    error_responses,
)

router = Router(tags=["penawaran"])

TENDER_CODE = r"^[0-9]{1,20}$"
HEX64 = r"^[0-9a-fA-F]{64}$"
HEX32 = r"^[0-9a-fA-F]{32}$"
#: A file name without path separators or control characters.
FILE_NAME = r"^[^\x00-\x1f\x7f/\\]{1,255}$"
MAX_ID = 2**63 - 1
#: Larger than any bid limit; the tender's own limit answers 413 below it.
MAX_LENGTH = 2**50


def _json_integer(value):
    if isinstance(value, bool | str):
        raise ValueError("must be a JSON integer")
    return value


#: An integer from JSON: 5 and 5.0 (JSON Schema integers), never true/false or "5".
JsonInt = Annotated[int, BeforeValidator(_json_integer), Field(strict=False)]

TenderCode = Annotated[str, Path(pattern=TENDER_CODE, description="Kode tender (angka).")]


class AnyScopeAuth(TokenAuth):
    """An active token holding at least one of `scopes` (403 `scope_missing` otherwise)."""

    def __init__(self, *scopes: str) -> None:
        super().__init__(None)
        self.scopes = [str(scope) for scope in scopes]

    def authenticate(self, request: HttpRequest, token: str):
        api_token = super().authenticate(request, token)
        if api_token is not None and not any(api_token.has_scope(s) for s in self.scopes):
            raise ApiError(
                403,
                "scope_missing",
                _("Token ini tidak memiliki cakupan yang diperlukan: %(scope)s"),
                {"scope": " / ".join(self.scopes)},
            )
        return api_token


WRITE = TokenAuth(Scope.BIDS_WRITE)
READ = TokenAuth(Scope.BIDS_READ)
READ_OR_WRITE = AnyScopeAuth(Scope.BIDS_WRITE, Scope.BIDS_READ)


def _vendor_only(request: HttpRequest) -> None:
    if not user_has_any_role(request.user, (Role.VENDOR,)):
        raise ApiError(
            403, "vendor_only", _("Hanya penyedia yang dapat mengunggah atau membaca penawaran.")
        )


def _api_error(error: BidError) -> ApiError:
    return ApiError(error.status, error.code, error.template, error.params)


def _tender(request: HttpRequest, code: str):
    _vendor_only(request)
    return get_tender_for_user(request.user, code)


# -- schemas -----------------------------------------------------------------------------------


class Refusal(Schema):
    code: str
    message: Message


class FingerprintOut(Schema):
    size: int
    md5: str
    sha256: str


class UploadInfoOut(Schema):
    tender: str
    tender_name: str
    participant: bool
    can_upload: bool = Field(description="Benar bila penyedia ini dapat mengunggah sekarang.")
    refusal: Refusal | None = Field(description="Alasan tidak dapat mengunggah sekarang.")
    upload_starts_at: datetime | None
    upload_ends_at: datetime | None
    server_time: datetime
    max_bytes: int | None
    certificate_pem: str | None = Field(description="Sertifikat tender untuk menyegel (PEM).")
    certificate_sha256: str | None = Field(description="SHA-256 DER sertifikat tender (hex).")
    current_receipt_id: int | None = Field(description="Penawaran yang berlaku saat ini.")
    uploads_url: str = Field(description="POST JSON ke sini untuk membuat unggahan.")
    tus_url: str = Field(description="Alamat pembuatan unggahan tus 1.0 (alternatif).")


class PlainIn(Schema):
    size: JsonInt = Field(ge=0, le=MAX_LENGTH)
    md5: str = Field(pattern=HEX32)
    sha256: str = Field(pattern=HEX64)


class UploadIn(Schema):
    length: JsonInt = Field(ge=1, le=MAX_LENGTH, description="Ukuran amplop tersegel (bita).")
    file_name: str | None = Field(None, pattern=FILE_NAME, description="Nama berkas amplop.")
    sha256: str | None = Field(None, pattern=HEX64, description="SHA-256 amplop (diperiksa).")
    md5: str | None = Field(None, pattern=HEX32, description="MD5 amplop (diperiksa).")
    plain: PlainIn | None = Field(
        None, description="Sidik jari berkas asli bila diketahui (diperiksa saat pembukaan)."
    )
    certificate_sha256: str | None = Field(
        None, pattern=HEX64, description="Sertifikat tender yang dipakai menyegel (hex)."
    )


class UploadOut(Schema):
    id: uuid.UUID
    tender: str
    status: str = Field(description="open, finished atau aborted.")
    length: int
    offset: int
    file_name: str
    created_at: datetime
    updated_at: datetime
    upload_url: str = Field(description="Alamat tus: PATCH bita ke sini dengan token yang sama.")
    status_url: str
    error: str | None = Field(description="Alasan pembatalan (bahasa saat dibatalkan).")
    receipt_id: int | None
    receipt_number: str | None
    receipt_url: str | None


class ReceiptSummary(Schema):
    id: int
    number: str
    tender: str
    tender_name: str
    status: str = Field(description="submitted (berlaku) atau superseded (diganti).")
    received_at: datetime
    sealed: FingerprintOut
    plain: FingerprintOut | None
    url: str


class ReceiptList(Schema):
    count: int
    items: list[ReceiptSummary]


class ReceiptOut(ReceiptSummary):
    receipt: dict[str, Any] = Field(description="Isi tanda terima (JSON yang ditandatangani).")
    receipt_json: str = Field(description="Bita persis yang ditandatangani (UTF-8).")
    signature: str = Field(description="Tanda tangan CMS terpisah (DER), base64.")
    json_url: str
    p7s_url: str
    pdf_url: str


# -- helpers -----------------------------------------------------------------------------------


def _absolute(request: HttpRequest, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _upload_out(request: HttpRequest, row) -> dict:
    bid = row.bid
    offset = tus_services.current_offset(row) if row.status == "open" else row.offset
    return {
        "id": row.id,
        "tender": row.tender.code,
        "status": row.status,
        "length": row.length,
        "offset": offset,
        "file_name": row.metadata.get("filename", ""),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "upload_url": _absolute(request, "bids:tus_upload", code=row.tender.code, upload_id=row.id),
        "status_url": _absolute(request, "api:bid_upload", upload_id=row.id),
        "error": row.error or None,
        "receipt_id": bid.pk if bid else None,
        "receipt_number": bid.receipt_number if bid else None,
        "receipt_url": _absolute(request, "api:receipt", receipt_id=bid.pk) if bid else None,
    }


def _fingerprint(size, md5: str, sha256: str) -> dict | None:
    return {"size": size, "md5": md5, "sha256": sha256} if sha256 else None


def _receipt_summary(request: HttpRequest, bid) -> dict:
    return {
        "id": bid.pk,
        "number": bid.receipt_number,
        "tender": bid.tender.code,
        "tender_name": bid.tender.name,
        "status": bid.status,
        "received_at": bid.received_at,
        "sealed": _fingerprint(bid.sealed_size, bid.sealed_md5, bid.sealed_sha256),
        "plain": _fingerprint(bid.plain_size, bid.plain_md5, bid.plain_sha256),
        "url": _absolute(request, "api:receipt", receipt_id=bid.pk),
    }


# -- endpoints ---------------------------------------------------------------------------------


@router.get(
    "/tenders/{code}/bid-upload",
    auth=READ_OR_WRITE,
    response={200: UploadInfoOut, **error_responses(*TOKEN_ERRORS, 404)},
    summary=str(_("Kesiapan unggah penawaran")),
    url_name="bid_upload_info",
)
def bid_upload_info(request: HttpRequest, code: TenderCode):
    """Whether this vendor may upload to the tender now (and why not), the upload stage,
    the size limit and the tender certificate to seal for (bids:write or bids:read)."""
    tender = _tender(request, code)
    now = timezone.now()
    refusal = None
    try:
        _participant, tender_key = check_can_submit(tender, request.user, now)
    except BidError as error:
        refusal = {"code": error.code, "message": both_languages(error.template, error.params)}
        tender_key = bid_selectors.key_of(tender)
    participant = participant_for(tender, request.user)
    current = None
    if participant is not None:
        current = (
            bid_selectors.submitted_bids_of_vendor(request.user)
            .filter(participant=participant)
            .values_list("pk", flat=True)
            .first()
        )
    stage = tender.stage(StageKind.BID_UPLOAD)
    return {
        "tender": tender.code,
        "tender_name": tender.name,
        "participant": participant is not None,
        "can_upload": refusal is None,
        "refusal": refusal,
        "upload_starts_at": stage.starts_at if stage else None,
        "upload_ends_at": stage.ends_at if stage else None,
        "server_time": now,
        "max_bytes": tender_key.max_bytes if tender_key else None,
        "certificate_pem": tender_key.certificate_pem if tender_key else None,
        "certificate_sha256": tender_key.certificate_sha256 if tender_key else None,
        "current_receipt_id": current,
        "uploads_url": _absolute(request, "api:bid_upload_create", code=tender.code),
        "tus_url": _absolute(request, "bids:tus_create", code=tender.code),
    }


@router.post(
    "/tenders/{code}/bid-uploads",
    auth=WRITE,
    response={
        201: UploadOut,
        **error_responses(*TOKEN_ERRORS, 400, 404, 409, 413, *READ_ONLY_ERRORS),
    },
    summary=str(_("Buat unggahan amplop tersegel")),
    url_name="bid_upload_create",
)
def bid_upload_create(request: HttpRequest, code: TenderCode, data: UploadIn):
    """Open a resumable upload of a pre-sealed envelope (bids:write). The client then sends
    the bytes with tus 1.0 `PATCH` on `upload_url` with the same token; the last byte
    makes the bid (the envelope must be addressed to the tender certificate and match
    the given SHA-256/MD5) and its receipt."""
    tender = _tender(request, code)
    try:
        _participant, tender_key = check_can_submit(tender, request.user)
    except BidError as error:
        raise _api_error(error) from None
    if data.certificate_sha256 and data.certificate_sha256.lower() != tender_key.certificate_sha256:
        raise ApiError(
            409,
            "certificate_mismatch",
            _(
                "Amplop disegel untuk sertifikat lain (SHA-256 %(given)s), bukan sertifikat "
                "tender ini (%(tender)s). Segel ulang dengan sertifikat tender."
            ),
            {"given": data.certificate_sha256.lower(), "tender": tender_key.certificate_sha256},
        )
    metadata = {
        "filename": data.file_name or "",
        "sha256": (data.sha256 or "").lower(),
        "md5": (data.md5 or "").lower(),
    }
    if data.plain is not None:
        metadata.update(
            plain_size=str(data.plain.size),
            plain_md5=data.plain.md5.lower(),
            plain_sha256=data.plain.sha256.lower(),
        )
    try:
        row = tus_services.create_upload(
            tender,
            length=data.length,
            metadata={key: value for key, value in metadata.items() if value},
            by=request.user,
            request=request,
        )
    except BidError as error:
        raise _api_error(error) from None
    row.tender = tender
    return Status(201, _upload_out(request, row))


@router.get(
    "/bid-uploads/{upload_id}",
    auth=READ_OR_WRITE,
    response={200: UploadOut, **error_responses(*TOKEN_ERRORS, 404)},
    summary=str(_("Status unggahan amplop")),
    url_name="bid_upload",
)
def bid_upload(request: HttpRequest, upload_id: uuid.UUID):
    """Offset, length and status of one of the user's own uploads; once finished, the bid's
    receipt (bids:write or bids:read). Anybody else's upload is a 404."""
    _vendor_only(request)
    row = bid_selectors.own_upload(request.user, upload_id)
    if row is None:
        raise Http404
    return _upload_out(request, row)


@router.get(
    "/receipts",
    auth=READ,
    response={200: ReceiptList, **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Tanda terima penawaran sendiri")),
    url_name="receipts",
)
def receipts(
    request: HttpRequest,
    tender: Annotated[str | None, Query(pattern=TENDER_CODE)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
):
    """The receipts of the user's own company, newest first (bids:read), optionally of one
    tender; superseded bids keep their receipts."""
    _vendor_only(request)
    rows = bid_selectors.receipts_of_vendor(request.user)
    if tender:
        rows = rows.filter(tender__code=tender)
    return {
        "count": rows.count(),
        "items": [_receipt_summary(request, bid) for bid in rows[offset : offset + limit]],
    }


@router.get(
    "/receipts/{receipt_id}",
    auth=READ,
    response={200: ReceiptOut, **error_responses(*TOKEN_ERRORS, 404)},
    summary=str(_("Satu tanda terima penawaran")),
    url_name="receipt",
)
def receipt(request: HttpRequest, receipt_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    """One receipt of the user's own company (bids:read): the signed JSON, exactly as signed,
    and the LPSE's detached CMS signature (base64 DER). Another company's is a 404."""
    _vendor_only(request)
    bid = bid_selectors.get_own_bid(request.user, receipt_id)
    return {
        **_receipt_summary(request, bid),
        "receipt": json.loads(bid.receipt_json) if bid.receipt_json else {},
        "receipt_json": bid.receipt_json,
        "signature": base64.b64encode(bytes(bid.receipt_signature)).decode("ascii"),
        "json_url": _absolute(request, "bids:receipt_json", pk=bid.pk),
        "p7s_url": _absolute(request, "bids:receipt_p7s", pk=bid.pk),
        "pdf_url": _absolute(request, "bids:receipt_pdf", pk=bid.pk),
    }
