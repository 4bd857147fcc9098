"""Session limits for staff (SEC-2, OWASP ASVS 3.3): 30 minutes idle, 12 hours at most."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED = "lpse_started"
SESSION_SEEN = "lpse_seen"


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff_role:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = now - seen > settings.LPSE_STAFF_IDLE_SECONDS
            too_long = now - started > settings.LPSE_STAFF_MAX_SECONDS
            if idle or too_long:
                logout(request)
                messages.info(
                    request,
                    _("Sesi Anda berakhir karena tidak aktif. Silakan masuk kembali.")
                    if idle
                    else _("Sesi Anda sudah mencapai batas 12 jam. Silakan masuk kembali."),
                )
                return redirect(settings.LOGIN_URL)
            request.session[SESSION_SEEN] = now
        return self.get_response(request)
