"""The JSON API under /api/v1/ with its OpenAPI 3 document (GEN-3).

Each area has its own router module in this package, listed in ROUTERS; the
endpoints call the apps' selectors and services, with the same access helpers
as the pages. Errors have one JSON shape (`errors.py`), tokens and scopes are
in `auth.py`, rate limits in `throttling.py`.
"""

from __future__ import annotations

from importlib import import_module

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router, Schema

from .auth import TokenAuth
from .errors import TOKEN_ERRORS, error_responses, install_handlers
from .throttling import throttles

DESCRIPTION = """API JSON LPSE (GEN-3).

Data publik (tender, jadwal, paket OCDS) tanpa token. Selain itu, kirim token
pribadi dari halaman *Token API* di akun Anda: `Authorization: Bearer lpse_...`.
Setiap token hanya memiliki cakupan (scope) yang dipilih saat dibuat.
Setiap galat berupa JSON `{"code": ..., "message": {"id": ..., "en": ...}}`.

Cakupan / scopes: `vendor:read` (status pendaftaran perusahaan sendiri / own company
registration), `tickets:read` dan `tickets:write` (tiket layanan sendiri / own helpdesk
tickets), `bids:read` dan `bids:write` (penawaran / bids), `monitoring:read` (status
pemantauan / monitoring status). Sensor lingkungan memakai token sensornya sendiri
(skema `SensorAuth`), bukan token pengguna.

Batas permintaan / rate limits: per alamat tanpa token, per token dengan token; lewat
batas dijawab 429 dengan `Retry-After`. Selama pemeliharaan baca-saja, penulisan dijawab
503 (`read_only`).
"""

#: (URL prefix, module with a `router`) of each area of the API.
ROUTERS: list[tuple[str, str]] = [
    ("/tenders", "lpse.api.tenders"),
    ("/ocds", "lpse.api.ocds"),
    ("/vendors", "lpse.api.vendors"),
    ("/tickets", "lpse.api.tickets"),
    ("/monitoring", "lpse.api.monitoring"),
    ("/sensors", "lpse.api.sensors"),
    ("", "lpse.api.bids"),
]

api = NinjaAPI(
    title="LPSE API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    throttle=throttles(),
)
install_handlers(api)

tokens = Router(tags=["token"])


class TokenOut(Schema):
    name: str
    prefix: str
    scopes: list[str]
    username: str
    expires_at: str | None


@tokens.get(
    "/me",
    auth=TokenAuth(None),
    response={200: TokenOut, **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Token yang sedang dipakai")),
)
def token_me(request):
    """The token of this request: its name, scopes, owner and expiry (to check a client's setup)."""
    token = request.auth
    return {
        "name": token.name,
        "prefix": token.prefix,
        "scopes": token.scopes,
        "username": token.user.get_username(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


api.add_router("/tokens", tokens)
for prefix, module in ROUTERS:
    api.add_router(prefix, import_module(module).router)
