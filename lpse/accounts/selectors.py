"""Reads and access checks on accounts (SEC-1)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from lpse.core.access import get_object_for_user, user_has_any_role

from .choices import STAFF_MANAGER_ROLES, STAFF_ROLES, Role
from .models import User, UserRole


def is_staff_manager(user) -> bool:
    return user_has_any_role(user, STAFF_MANAGER_ROLES)


def staff_users(search: str = "") -> QuerySet[User]:
    """Users holding a staff role (or superusers), work unit joined, roles prefetched.

    `User.role_set` reads the prefetched rows, so a page of any size costs the
    same few queries.
    """
    staff_role = UserRole.objects.filter(user=OuterRef("pk"), role__in=STAFF_ROLES)
    users = (
        User.objects.filter(Q(Exists(staff_role)) | Q(is_superuser=True))
        .select_related("work_unit")
        .prefetch_related(Prefetch("role_rows", queryset=UserRole.objects.order_by("role")))
        .order_by("username")
    )
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(work_unit__name__icontains=search)
            | Q(work_unit__short_name__icontains=search)
        )
    return users


def _staff_scope(queryset: QuerySet[User], user) -> QuerySet[User]:
    """A manager sees the staff accounts; vendors are managed elsewhere."""
    if not is_staff_manager(user):
        return queryset.none()
    return queryset


def get_staff_user_for_manager(pk: int, manager) -> User:
    """The staff user `pk` if `manager` may manage it; 404 otherwise (vendors included)."""
    if not is_staff_manager(manager):
        raise Http404
    return get_object_for_user(staff_users(), manager, _staff_scope, pk=pk)


def head_signer_name() -> str:
    """The head's name for the signature block of letters and reports: LPSE_HEAD_NAME, else
    the active head's full name in the system (a real account before a demo one), else
    empty (a dotted line is printed for a wet signature)."""
    if settings.LPSE_HEAD_NAME:
        return settings.LPSE_HEAD_NAME
    heads = User.objects.filter(is_active=True, role_rows__role=Role.HEAD)
    head = heads.filter(is_demo=False).order_by("pk").first() or heads.order_by("pk").first()
    return head.get_full_name() if head else ""
