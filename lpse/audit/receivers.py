"""Authentication events in the audit chain (AUD-1, SEC-2).

Connected in AuditConfig.ready(). These are records of what happened at the
door, not procedure steps, so receiving Django's auth signals is the right
place for them (STYLE.md forbids signals only for driving procedures).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from .services import record

#: Kept only so the trail shows what was typed; never the password.
_USERNAME_LIMIT = 150


def on_login(sender, request, user, **kwargs):
    with transaction.atomic():
        record("auth.login", actor=user, target=user, request=request)


def on_logout(sender, request, user, **kwargs):
    if user is None:  # the session had already expired
        return
    with transaction.atomic():
        record("auth.logout", actor=user, target=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username_field = get_user_model().USERNAME_FIELD
    attempted = str(credentials.get(username_field) or credentials.get("username") or "")
    attempted = attempted[:_USERNAME_LIMIT]
    with transaction.atomic():
        record(
            "auth.login_failed",
            actor=None,
            after={"username": attempted},
            summary=attempted,
            request=request,
        )
