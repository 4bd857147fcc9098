"""JSON errors of the API (GEN-3): every error is `{"code", "message": {"id", "en"}}`.

`code` is a stable machine-readable string; `message` carries the same text in
Indonesian and English, whatever language the request asked for. Validation
errors add `errors` (where and what); rate limiting adds `retry_after`.
Every operation declares its error codes with `error_responses(...)`, so the
OpenAPI document lists each status an endpoint can answer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)


class Message(Schema):
    id: str
    en: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    code: str
    message: Message
    errors: list[FieldError] | None = None
    retry_after: int | None = None


class ApiError(Exception):
    """Raise from an endpoint to answer `status` with `code` and a translatable message.

    `message` is a lazy translation; `params` fill its %(name)s placeholders in
    each language (a lazy string formatted with % would freeze in one language).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: Promise | str,
        params: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.params = params
        self.extra = extra


def both_languages(message: Promise | str, params: dict[str, Any] | None = None) -> dict[str, str]:
    texts = {}
    for language in ("id", "en"):
        with override(language):
            text = str(message)
            texts[language] = text % params if params else text
    return texts


def error_body(
    code: str, message: Promise | str, params: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": both_languages(message, params)}
    body.update({key: value for key, value in extra.items() if value is not None})
    return body


#: Status -> schema, for `response={200: Out, **error_responses(401, 404)}`.
def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)


#: What every operation may answer besides its own codes: bad input and the rate limit.
COMMON_ERRORS = (422, 429)
#: And every operation that needs a token.
TOKEN_ERRORS = (401, 403, 422, 429)

_STATUS_CODES = {
    400: ("bad_request", _("Permintaan tidak dapat diproses.")),
    401: ("unauthorized", _("Token API tidak ada, tidak dikenal, kedaluwarsa, atau dicabut.")),
    403: ("forbidden", _("Anda tidak berhak melakukan ini.")),
    404: ("not_found", _("Data tidak ditemukan.")),
    405: ("method_not_allowed", _("Metode HTTP ini tidak didukung di alamat ini.")),
    413: ("too_large", _("Isi permintaan terlalu besar.")),
    415: ("unsupported_media_type", _("Jenis isi permintaan tidak didukung; kirim JSON.")),
    429: ("rate_limited", _("Terlalu banyak permintaan. Coba lagi nanti.")),
    500: ("server_error", _("Terjadi kesalahan di server. Petugas LPSE telah dicatat.")),
    503: (
        "read_only",
        _("Sistem sedang dalam pemeliharaan (hanya baca). Coba lagi setelah pemeliharaan selesai."),
    ),
}

#: What an operation with a JSON body may answer besides: malformed JSON, a body too large.
BODY_ERRORS = (400, 413)
#: Writes that the read-only mode of a maintenance window refuses (facility MaintenanceMiddleware).
READ_ONLY_ERRORS = (503,)


def json_error(status: int, **extra: Any) -> JsonResponse:
    """The error body of a standard status, for answers given outside ninja (middleware)."""
    code, message = _STATUS_CODES[status]
    return JsonResponse(
        error_body(code, message, **extra), status=status, json_dumps_params={"ensure_ascii": False}
    )


def read_only_response(retry_after: int) -> JsonResponse:
    """What an API write gets during a read-only maintenance window: 503 in the error shape."""
    response = json_error(503, retry_after=retry_after)
    response["Retry-After"] = str(retry_after)
    return response


def _standard(request: HttpRequest, api, status: int, **extra: Any) -> HttpResponse:
    code, message = _STATUS_CODES[status]
    return api.create_response(request, error_body(code, message, **extra), status=status)


def install_handlers(api) -> None:
    """Replace ninja's default handlers so every error has the same JSON shape."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body = error_body(exc.code, exc.message, exc.params, **exc.extra)
        response = api.create_response(request, body, status=exc.status)
        if exc.extra.get("retry_after") is not None:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [part for part in error.get("loc", ()) if isinstance(part, str | int)],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        body = error_body("invalid", _("Data yang dikirim tidak valid."), errors=errors)
        return api.create_response(request, body, status=422)

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait) + 1 if exc.wait is not None else None
        return _standard(request, api, 429, retry_after=wait)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return _standard(request, api, 401)
        if isinstance(exc, AuthorizationError):
            return _standard(request, api, 403)
        if exc.status_code in _STATUS_CODES:
            return _standard(request, api, exc.status_code)
        body = error_body("http_error", str(exc))
        return api.create_response(request, body, status=exc.status_code)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _standard(request, api, 404)

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _standard(request, api, 403)

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django answers these 400 on its pages; a body past DATA_UPLOAD_MAX_MEMORY_SIZE is 413.
        return _standard(request, api, 413 if isinstance(exc, RequestDataTooBig) else 400)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return _standard(request, api, 500)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Exception, on_unexpected)
