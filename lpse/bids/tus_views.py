"""The tus 1.0 server of pre-sealed envelopes (BID-2): OPTIONS, POST (creation), HEAD,
PATCH, DELETE (termination). Authentication: the browser session (with the CSRF
header) or `Authorization: Bearer <API token>` with scope bids:write for scripts and
`lpse-seal upload` (the same per-user tokens as the JSON API, GEN-3)."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from lpse.accounts.choices import Role
from lpse.api.choices import Scope
from lpse.api.selectors import active_token
from lpse.api.services import mark_used
from lpse.core.access import needs_second_factor, user_has_any_role
from lpse.tenders.selectors import get_tender_for_user

from . import tus_services
from .errors import BidError
from .models import TusUpload

VERSION = "1.0.0"
EXTENSIONS = "creation,termination"


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _user(request):
    """(user, error response): token auth, else the session with a valid CSRF header."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = active_token(header[7:].strip())
        if token is None:
            return None, _response(401, gettext("Token unggah tidak sah atau sudah dicabut."))
        if not token.has_scope(Scope.BIDS_WRITE):
            return None, _response(
                403,
                gettext("Token ini tidak memiliki cakupan yang diperlukan: %(scope)s")
                % {"scope": Scope.BIDS_WRITE.value},
            )
        mark_used(token)
        user = token.user
    else:
        user = request.user
        if not user.is_authenticated:
            return None, _response(401, gettext("Masuk dahulu atau gunakan token unggah."))
        if needs_second_factor(user):
            return None, _response(403, gettext("Verifikasi dua langkah diperlukan."))
        if request.method not in ("HEAD", "OPTIONS", "GET"):
            failure = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if failure is not None:
                return None, _response(403, gettext("Token CSRF tidak sah."))
    if not user_has_any_role(user, (Role.VENDOR,)):
        return None, _response(403, gettext("Hanya penyedia yang dapat mengunggah penawaran."))
    return user, None


def _options(max_bytes: int | None = None) -> HttpResponse:
    response = _response(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS)
    response["Tus-Max-Size"] = str(max_bytes or settings.LPSE_BID_MAX_MB * 1024 * 1024)
    return response


def _check_version(request) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, gettext("Versi tus tidak didukung."), Tus_Version=VERSION)
    return None


def parse_metadata(value: str) -> dict[str, str]:
    result = {}
    for pair in filter(None, (part.strip() for part in (value or "").split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            result[key] = (
                base64.b64decode(encoded, validate=True).decode("utf-8") if encoded else ""
            )
        except (binascii.Error, UnicodeDecodeError):
            raise BidError(gettext("Upload-Metadata tidak sah."), status=400) from None
    return result


def _error(error: BidError) -> HttpResponse:
    return _response(error.status, error.message)


@csrf_exempt
def create(request, code):
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _response(405, "", Allow="OPTIONS, POST")
    if (failure := _check_version(request)) is not None:
        return failure
    user, failure = _user(request)
    if failure is not None:
        return failure
    try:
        tender = get_tender_for_user(user, code)
    except Http404:
        return _response(404, gettext("Tender tidak ditemukan."))
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _response(400, gettext("Upload-Length wajib diisi (bilangan bulat)."))
    try:
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = tus_services.create_upload(
            tender, length=length, metadata=metadata, by=user, request=request
        )
    except BidError as error:
        return _error(error)
    location = request.build_absolute_uri(
        reverse("bids:tus_upload", kwargs={"code": tender.code, "upload_id": upload.id})
    )
    return _response(201, "", Location=location, Upload_Offset=0)


@csrf_exempt
def upload(request, code, upload_id):
    if request.method == "OPTIONS":
        return _options()
    if (failure := _check_version(request)) is not None:
        return failure
    user, failure = _user(request)
    if failure is not None:
        return failure
    row = (
        TusUpload.objects.select_related("tender", "participant__vendor", "participant__tender")
        .filter(pk=upload_id, user=user, tender__code=code)
        .first()
    )
    if row is None:
        return _response(404, gettext("Unggahan tidak ditemukan."))
    if request.method == "HEAD":
        if row.status == "aborted":
            return _response(410, "")
        offset = tus_services.current_offset(row) if row.status == "open" else row.length
        return _response(200, "", Upload_Offset=offset, Upload_Length=row.length)
    if request.method == "DELETE":
        if row.status == "open":
            tus_services.abort(row, reason="terminated by client", by=user, request=request)
        return _response(204)
    if request.method != "PATCH":
        return _response(405, "", Allow="OPTIONS, HEAD, PATCH, DELETE")
    if request.content_type != "application/offset+octet-stream":
        return _response(415, gettext("Content-Type harus application/offset+octet-stream."))
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _response(400, gettext("Upload-Offset wajib diisi."))
    length = request.META.get("CONTENT_LENGTH")
    try:
        new_offset, bid = tus_services.append(
            row,
            offset=offset,
            stream=request,
            content_length=int(length) if length else None,
            by=user,
            request=request,
        )
    except BidError as error:
        return _error(error)
    headers = {"Upload_Offset": new_offset}
    if bid is not None:
        headers["Lpse_Bid"] = bid.pk
        headers["Lpse_Receipt"] = bid.receipt_number
        headers["Lpse_Receipt_Url"] = request.build_absolute_uri(
            reverse("bids:receipt", kwargs={"pk": bid.pk})
        )
    return _response(204, **headers)
