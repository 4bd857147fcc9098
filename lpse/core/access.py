"""Access checks shared by every app (SEC-1).

Two layers, used together by every view and API endpoint:

* `role_required(*roles)` guards a view by role: the visitor must be logged in
  (and, for staff, have passed the TOTP step, which `TwoFactorMiddleware`
  enforces before the view runs) and hold at least one of the roles.
  Superusers pass. Anyone else gets 403.
* `get_object_for_user(queryset, user, scope, **lookup)` is the base of the
  per-object helpers the apps write in their `selectors.py`
  (`get_bid_for_user`, `get_ticket_for_user`, ...): the object is looked up
  only inside what `scope` says the user may see, so an object of somebody
  else answers 404 exactly like one that does not exist (no existence leak).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def user_has_any_role(user, roles: tuple[str, ...] | frozenset[str]) -> bool:
    """True for an active, logged-in user holding one of `roles`, or a superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_role(*roles))


def needs_second_factor(user) -> bool:
    """A logged-in staff user whose session has not passed TOTP yet (SEC-2)."""
    if not settings.LPSE_REQUIRE_2FA or not user.is_authenticated or not user.is_staff_role:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


def role_required(*roles: str) -> Callable[[View], View]:
    """View decorator: login required, then 403 unless the user holds one of `roles`.

    The 2FA step is enforced by `lpse.accounts.middleware.TwoFactorMiddleware`;
    the decorator checks it again so a view stays closed even if the middleware
    were ever left out of MIDDLEWARE.
    """
    if not roles:
        raise ValueError("role_required() needs at least one role")
    wanted = tuple(str(role) for role in roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:otp_verify')}?{query}")
            if not user_has_any_role(user, wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = wanted  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require(allowed: bool) -> None:
    """Raise 403 unless `allowed`: for actions on an object the user may see
    but not change (e.g. a verifier viewing, not approving)."""
    if not allowed:
        raise PermissionDenied


def get_object_for_user(
    queryset: QuerySet[M],
    user,
    scope: Callable[[QuerySet[M], Any], QuerySet[M]],
    **lookup: Any,
) -> M:
    """The object matching `lookup` among those `scope(queryset, user)` lets `user` see.

    `scope` narrows the queryset to the user's objects (a vendor's own company,
    a committee's own tenders); anything outside it is a 404, never a hint
    that the object exists. Anonymous users see nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        return scope(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
