"""Reads of the vendors app: the desk queue (REG-4) and the vendor's own record."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet

from lpse.accounts.models import User
from lpse.core.access import get_object_for_user
from lpse.reports.exports import in_period

from .choices import VendorStatus
from .models import Vendor, VerificationChecklistItem, name_key

#: The desk list's status choice for every registration, whatever its status (RPT-1).
ALL_STATUSES = "semua"
REGISTRATION_NUMBER = re.compile(r"^REG-\d{4}-\d{1,6}$", re.IGNORECASE)


def name_prefix(key: str) -> Q:
    """Names starting with `key`, as an index range scan on every database.

    PostgreSQL uses LIKE 'key%' on the varchar_pattern_ops index. SQLite's LIKE
    (with Django's ESCAPE clause) never uses an index, but its binary collation
    orders strings by code point, so a half-open range is the same set.
    """
    if connection.vendor == "postgresql":
        return Q(search_name__startswith=key)
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    return Q(search_name__gte=key, search_name__lt=upper)


def desk_list(user, filters: dict) -> QuerySet[Vendor]:
    """The desk's list for the page and its CSV/XLSX export alike (REG-4, RPT-1).

    `filters` is the cleaned `VendorFilterForm`: no status means the applicants
    waiting for verification, oldest deadline first (the queue); another status
    (or "semua") lists those, newest registration first. `user` is checked by
    the view's role guard: the verifier and the head see every registration.
    """
    status = filters.get("status") or VendorStatus.PENDING_VERIFICATION
    queryset = Vendor.objects.select_related("user")
    if status != ALL_STATUSES:
        queryset = queryset.filter(status=status)
    queryset = _search(queryset, filters.get("q", "")).filter(
        in_period("registered_at", filters.get("dari"), filters.get("sampai"))
    )
    if status == VendorStatus.PENDING_VERIFICATION:
        return queryset.order_by("verification_deadline", "pk")
    return queryset.order_by("-registered_at", "-pk")


def desk_queue(query: str = "") -> QuerySet[Vendor]:
    """Applicants waiting for verification, oldest deadline first (REG-4).

    The search picks one indexed lookup by the shape of the input: a
    registration number, an NPWP (digits), else a name prefix or an exact
    User ID. Every branch is an index seek, so the page costs the same with
    100 or 100,000 vendors.
    """
    queryset = Vendor.objects.filter(status=VendorStatus.PENDING_VERIFICATION).select_related(
        "user"
    )
    return _search(queryset, query).order_by("verification_deadline", "pk")


def awaiting_activation(query: str) -> list[Vendor]:
    """Verified vendors found by the desk search that have not set their password yet:
    the verifier can issue them a new activation code (REG-5). Empty without a search."""
    if not " ".join((query or "").split()):
        return []
    queryset = Vendor.objects.filter(
        status=VendorStatus.VERIFIED, activated_at__isnull=True
    ).select_related("user")
    return list(_search(queryset, query).order_by("registration_number")[:10])


def _search(queryset: QuerySet[Vendor], query: str) -> QuerySet[Vendor]:
    """One indexed lookup chosen by the shape of the search text (see desk_queue)."""
    query = " ".join((query or "").split())
    if query:
        digits = re.sub(r"[.\-\s]", "", query)
        if REGISTRATION_NUMBER.match(query):
            year, number = query.upper().split("-")[1:]
            queryset = queryset.filter(registration_number=f"REG-{year}-{int(number):06d}")
        elif digits.isdigit() and len(digits) >= 6:
            queryset = queryset.filter(tax_id=digits)
        else:
            user_pk = (
                User.objects.filter(username=query.lower()).values_list("pk", flat=True).first()
            )
            match = name_prefix(name_key(query) or query.lower())
            if user_pk is not None:
                match |= Q(user_id=user_pk)
            queryset = queryset.filter(match)
    return queryset


def active_checklist() -> list[VerificationChecklistItem]:
    return list(VerificationChecklistItem.objects.filter(active=True))


def vendor_of(user) -> Vendor | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Vendor.objects.filter(user=user).first()


def _own_company(queryset: QuerySet[Vendor], user) -> QuerySet[Vendor]:
    return queryset.filter(user=user)


def get_vendor_for_user(user, registration_number: str) -> Vendor:
    """The user's own company by its registration number (the JSON API, GEN-3).

    Another company's registration is a 404, exactly like one that does not exist (SEC-1).
    """
    return get_object_for_user(
        Vendor.objects.all(), user, _own_company, registration_number=registration_number
    )
