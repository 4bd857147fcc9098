"""Read-only mode during a maintenance window (MON-5, Pasal 12(4)).

While a window with `read_only` runs, every write request (POST, PUT, PATCH,
DELETE) is answered with a 503 page in Indonesian and changes nothing. Let
through are:

* logging in and out (and the TOTP step), and the language switch;
* the system administrator's own consoles: maintenance (`facility:window_*`), so
  the window can be ended early, and the operations console (`ops:*`);
* environment readings pushed by sensors (`facility:sensor_push`): monitoring
  goes on during maintenance;
* bid uploads of a tender whose upload stage ends inside the window: the bid
  upload URLs are recognised by their URL name, listed in the setting
  LPSE_MAINTENANCE_BID_UPLOAD_URLS (default: the browser upload and the tus
  endpoints of lpse.bids, and the API's upload creation that `lpse-seal` uses),
  and the tender by the `code` argument of the URL. A vendor must never lose a
  deadline to our maintenance.

A write to the JSON API (`/api/`) gets the API's error shape instead of the page:
a JSON 503 with code `read_only` and Retry-After (GEN-3); the same rule applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from lpse.core.access import user_has_any_role

from . import selectors

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ALWAYS_ALLOWED = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp_verify",
        "set_language",
        "facility:sensor_push",
        "api:sensor_readings",  # the same sensor push through the JSON API (GEN-3)
    }
)
#: URL name prefixes of the consoles the system administrator keeps using during maintenance.
CONSOLE_PREFIXES = ("facility:window", "ops:")
#: Where the JSON API lives: its refusals are JSON in the API's error shape.
API_PATH = "/api/"


def _allowed(request: HttpRequest, window) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    name = match.view_name
    if name in ALWAYS_ALLOWED:
        return True
    if name.startswith(CONSOLE_PREFIXES) and user_has_any_role(
        getattr(request, "user", None), selectors.WINDOW_ROLES
    ):
        return True
    code = match.kwargs.get("code")
    return bool(
        code and selectors.is_bid_upload_url(name) and selectors.upload_ends_in_window(code, window)
    )


class MaintenanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            window = selectors.read_only_window()
            if window is not None and not _allowed(request, window):
                return self.refuse(request, window)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, window) -> HttpResponse:
        seconds = max(1, math.ceil((window.ends_at - timezone.now()).total_seconds()))
        if request.path_info.startswith(API_PATH):
            from lpse.api.errors import read_only_response

            response = read_only_response(seconds)
            response["Cache-Control"] = "no-store"
            return response
        response = TemplateResponse(
            request, "facility/read_only.html", {"window": window}, status=503
        )
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response.render()
