"""Authentication of the API (GEN-3, SEC-1): a per-user bearer token with scopes.

`TokenAuth(Scope.X)` on an operation lets a request through only with an active
token holding scope X whose owner is active; `request.user` is then the owner,
so the endpoint uses the same access helpers as the pages (`get_*_for_user`,
`user_has_any_role`). No token, an unknown, expired or revoked one answers 401;
a valid token without the scope answers 403 `scope_missing`.

`SensorAuth()` is the other scheme: the bearer token of an environment sensor of
the facility app (`lpse-sensor-...`, issued on /fasilitas/sensor/kelola/), checked
exactly as `POST /fasilitas/sensor/` checks it; `request.auth` is the Sensor.
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
    """A user's API token holding `scope` (or any one of `scope, *more`)."""

    def __init__(self, scope: str | None, *more: str) -> None:
        """`scope=None` accepts any active token (for endpoints about the token itself)."""
        super().__init__()
        self.scopes = tuple(str(s) for s in (scope, *more)) if scope is not None else ()
        self.scope = self.scopes[0] if self.scopes else None

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = active_token(token)
        if api_token is None:
            return None
        if self.scopes and not any(api_token.has_scope(scope) for scope in self.scopes):
            raise ApiError(
                403,
                "scope_missing",
                _("Token ini tidak memiliki cakupan yang diperlukan: %(scope)s"),
                {"scope": " / ".join(self.scopes)},
            )
        mark_used(api_token)
        request.user = api_token.user
        return api_token


class SensorAuth(HttpBearer):
    """The bearer token of an active facility sensor (not a user's token)."""

    def authenticate(self, request: HttpRequest, token: str):
        from lpse.facility.env_services import sensor_for_token

        return sensor_for_token(token.strip()) if len(token) <= 200 else None
