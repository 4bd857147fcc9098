"""What SPSE 4 data clients (pyproc and the like) expect of an LPSE site (BID-5).

Facts from ``docs/SPSE-COMPAT.md``: a ``SPSE_SESSION`` cookie carrying ``___AT=<token>&``
that the client posts back as ``authenticityToken`` with the DataTables list request;
rows in the SPSE 4.5 layout; fixed error strings. The token is stateless (an HMAC
under the secret key with its issue time), so any app server checks what another
issued; the list endpoint gets no Django CSRF token, this is its check instead.
"""

from __future__ import annotations

import hmac
import secrets
import time
from datetime import datetime
from hashlib import sha256

from django.conf import settings

#: Version shown on the SPSE home page; pyproc 0.1.x POSTs the list from 4.5u2022 on.
COMPAT_VERSION = "4.5u20230101"
HOME_MARKER = "Untuk tampilan Aplikasi SPSE yang lebih baik"
COOKIE = "SPSE_SESSION"
TOKEN_SECONDS = 24 * 3600
NOT_FOUND = "Halaman yang dituju tidak ditemukan"
# List kinds of SPSE. Ours are tenders (`lelang`) and non-tenders (`pl`); the other
# kinds (recorded non-tender, self-managed, emergency) are not procured in this system.
KINDS = ("lelang", "pl", "nonspk", "swakelola", "darurat-list")
TENDER_METHODS = ("tender", "quick_tender", "selection")
NON_TENDER_METHODS = ("direct_procurement", "direct_appointment")
# pyproc's JenisPengadaan (kategoriId) -> our category.
CATEGORY_BY_ID = {
    "0": "goods",
    "1": "consultancy",
    "2": "construction",
    "3": "other_services",
    "4": "consultancy",
    "5": "consultancy",
}
# DataTables order[0][column] -> field. Column 2 (agency) is the same K/L/PD on every row
# of one LPSE, so ordering by it keeps the code order.
ORDER_FIELDS = {"0": "code", "1": "name_key", "2": "code", "4": "hps"}


def _mac(issued: str, nonce: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"spse-at:{issued}:{nonce}".encode(), sha256).hexdigest()[:32]


def new_token(now: float | None = None) -> str:
    """Hex only (clients match ``[A-Za-z0-9]+``): issue time, nonce, HMAC."""
    issued = f"{int(now if now is not None else time.time()):010x}"
    nonce = secrets.token_hex(8)
    return issued + nonce + _mac(issued, nonce)


def token_is_valid(token: str, now: float | None = None) -> bool:
    if len(token) != 58 or not all(ch in "0123456789abcdef" for ch in token):
        return False
    issued, nonce, mac = token[:10], token[10:26], token[26:]
    if not hmac.compare_digest(mac, _mac(issued, nonce)):
        return False
    age = (now if now is not None else time.time()) - int(issued, 16)
    return -60 <= age <= TOKEN_SECONDS


def cookie_value(token: str) -> str:
    """The Play-framework session shape SPSE uses: ``___AT=<token>&___TS=<ms>``."""
    return f"___AT={token}&___TS={int(time.time() * 1000)}"


def token_from_cookie(value: str) -> str:
    for part in value.split("&"):
        if part.startswith("___AT="):
            return part[len("___AT=") :]
    return ""


def _slots(rows) -> dict[str, tuple[datetime, datetime]]:
    return {
        row["kind"]: (
            datetime.fromisoformat(row["starts_at"]),
            datetime.fromisoformat(row["ends_at"]),
        )
        for row in rows or ()
    }


def change_counts(changes) -> dict[str, int]:
    """How many approved changes moved each stage (SPSE's Perubahan column, ERR-3)."""
    counts: dict[str, int] = {}
    for change in changes:
        before = _slots(change.before)
        after = _slots(change.after)
        for kind in set(before) | set(after):
            if kind in after and before.get(kind) != after[kind]:
                counts[kind] = counts.get(kind, 0) + 1
    return counts
