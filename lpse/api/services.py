"""Writes of the API app: issuing and revoking tokens, audited (GEN-3, SEC-1)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.audit.services import record

from .models import ApiToken
from .selectors import TOKEN_PREFIX, allowed_scopes, hash_secret

#: Used/last-seen time is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def issue_token(
    user, *, name: str, scopes: list[str], expires_at: datetime | None = None, by, request=None
) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is shown once and never stored.

    Raises ValidationError when a scope is unknown or not allowed for the user's
    roles, or when the expiry is in the past.
    """
    allowed = set(allowed_scopes(user))
    wanted = list(dict.fromkeys(scopes))
    refused = [scope for scope in wanted if scope not in allowed]
    if not wanted:
        raise ValidationError(_("Pilih sedikitnya satu cakupan."))
    if refused:
        raise ValidationError(
            _("Cakupan tidak diizinkan untuk peran Anda: %(scopes)s")
            % {"scopes": ", ".join(refused)}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Tanggal berlaku harus di masa depan."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_secret(secret),
        scopes=wanted,
        expires_at=expires_at,
    )
    record(
        "api.token_issued",
        actor=by,
        target=token,
        after={"name": token.name, "scopes": wanted, "expires_at": expires_at},
        summary=f"{token.name} ({', '.join(wanted)})",
        request=request,
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by, request=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api.token_revoked", actor=by, target=token, summary=token.name, request=request)
    return token


def mark_used(token: ApiToken) -> None:
    """Remember when a token was last used, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
