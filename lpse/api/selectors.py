"""Reads of the API app: token lookup and the scopes a user may take (GEN-3)."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from lpse.core.access import get_object_for_user, user_has_any_role

from .choices import SCOPE_ROLES, Scope
from .models import ApiToken

TOKEN_PREFIX = "lpse_"  # noqa: S105 - the visible marker of LPSE tokens, not a secret


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_token(secret: str) -> ApiToken | None:
    """The active token with this secret, its owner active too; None otherwise. One query."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    return token


def allowed_scopes(user) -> list[str]:
    """The scopes `user`'s roles let them put on a token, in declaration order."""
    return [
        scope.value
        for scope in Scope
        if SCOPE_ROLES[scope] is None or user_has_any_role(user, SCOPE_ROLES[scope])
    ]


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def _own_tokens(queryset: QuerySet[ApiToken], user) -> QuerySet[ApiToken]:
    return queryset.filter(user=user)


def get_token_for_user(user, pk: int) -> ApiToken:
    """One of the user's own tokens; anybody else's is a 404 (SEC-1)."""
    return get_object_for_user(ApiToken.objects.all(), user, _own_tokens, pk=pk)
