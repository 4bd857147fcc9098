"""Staff session limits and the TOTP step (SEC-2, OWASP ASVS 2.8 and 3.3).

* `StaffSessionMiddleware`: a staff session ends after 30 minutes without a
  request and after 12 hours in any case (both from settings).
* `TwoFactorMiddleware`: a logged-in staff user whose session has not passed
  TOTP is sent to the verify page, or to the setup page when they have no
  confirmed device yet. Only logout, the OTP pages, health and the language
  switch stay open meanwhile.

Both must come after `OTPMiddleware` and `MessageMiddleware` in MIDDLEWARE.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

SESSION_STARTED = "lpse_started"
SESSION_SEEN = "lpse_seen"
#: The last-seen stamp is written only when it moved this much: most requests
#: then leave the session row untouched.
SEEN_RESOLUTION_SECONDS = 60

#: Views a staff user may reach before passing TOTP.
OPEN_BEFORE_TOTP = frozenset(
    {
        "accounts:logout",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "core:health",
        "set_language",
    }
)


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff_role:
            session = request.session
            now = int(time.time())
            started = session.get(SESSION_STARTED)
            if started is None:
                session[SESSION_STARTED] = started = now
            seen = session.get(SESSION_SEEN, now)
            idle = now - seen > settings.LPSE_STAFF_IDLE_SECONDS
            too_long = now - started > settings.LPSE_STAFF_MAX_SECONDS
            if idle or too_long:
                logout(request)
                if idle:
                    text = _("Sesi Anda berakhir karena tidak aktif. Silakan masuk kembali.")
                else:
                    text = _(
                        "Sesi Anda sudah mencapai batas %(hours)d jam. Silakan masuk kembali."
                    ) % {"hours": settings.LPSE_STAFF_MAX_SECONDS // 3600}
                messages.info(request, text)
                return redirect(settings.LOGIN_URL)
            if SESSION_SEEN not in session or now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.LPSE_REQUIRE_2FA:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff_role:
            return None
        if user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_TOTP:
            return None
        if match is not None and match.namespace == "api":
            # The JSON API never uses the session: its callers are the bearer token's
            # owner (GEN-3), so a browser's half-logged-in staff session must not
            # turn a token call into a redirect to the TOTP page.
            return None
        target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")
