"""Authentication of the API (GEN-3, SEC-1): a per-user bearer token with scopes.

`TokenAuth(Scope.X)` on an operation lets a request through only with an active
token holding scope X whose owner is active; `request.user` is then the owner,
so the endpoint uses the same access helpers as the pages (`get_*_for_user`,
`user_has_any_role`). No token, an unknown, expired or revoked one answers 401;
a valid token without the scope answers 403 `scope_missing`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from .errors import ApiError
from .models import ApiToken
from .selectors import active_token
from .services import mark_used


class TokenAuth(HttpBearer):
    def __init__(self, scope: str | None) -> None:
        """`scope=None` accepts any active token (for endpoints about the token itself)."""
        super().__init__()
        self.scope = str(scope) if scope is not None else None

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = active_token(token)
        if api_token is None:
            return None
        if self.scope is not None and not api_token.has_scope(self.scope):
            raise ApiError(
                403,
                "scope_missing",
                _("Token ini tidak memiliki cakupan yang diperlukan: %(scope)s"),
                {"scope": self.scope},
            )
        mark_used(api_token)
        request.user = api_token.user
        return api_token
