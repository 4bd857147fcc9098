"""Reads and access checks: company data, documents, e-mail changes (REG-7, ERR-2, SEC-3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lpse.accounts.choices import Role
from lpse.core.access import get_object_for_user, user_has_any_role
from lpse.reports.exports import in_period

from .company import (
    CompanyDocument,
    CompanySection,
    Deed,
    EmailChangeRequest,
    Equipment,
    Experience,
    ExpertStaff,
    Permit,
    TaxRecord,
    UploadAttempt,
)

#: Staff who may open any vendor's documents (SEC-3).
DOCUMENT_STAFF = (Role.VERIFIER, Role.HELPDESK, Role.APPADMIN, Role.HEAD)
#: Staff who may read upload diagnostics (REG-7, ERR-4).
DIAGNOSTICS_STAFF = (Role.HELPDESK, Role.APPADMIN, Role.HEAD)
#: Who sees the list of all e-mail changes (SOP 3.3 recording duty).
EMAIL_CHANGE_LIST_ROLES = (Role.AGENCY_ADMIN, Role.APPADMIN, Role.HEAD)
EMAIL_CHANGE_REVIEW_ROLES = (Role.VERIFIER, Role.HEAD)
EMAIL_CHANGE_APPLY_ROLES = (Role.APPADMIN, Role.SYSADMIN)


@dataclass(frozen=True)
class SectionSpec:
    code: str
    model: type
    fields: tuple[str, ...]
    title: object
    columns: tuple[str, ...] = field(default=())


SECTIONS: dict[str, SectionSpec] = {
    spec.code: spec
    for spec in (
        SectionSpec(
            CompanySection.PERMIT,
            Permit,
            ("kind", "number", "issuer", "valid_until"),
            _("Izin usaha"),
        ),
        SectionSpec(CompanySection.DEED, Deed, ("kind", "number", "date", "notary"), _("Akta")),
        SectionSpec(CompanySection.TAX, TaxRecord, ("description", "tax_return_year"), _("Pajak")),
        SectionSpec(
            CompanySection.STAFF,
            ExpertStaff,
            ("name", "position", "education", "experience_years"),
            _("Tenaga ahli"),
        ),
        SectionSpec(
            CompanySection.EXPERIENCE,
            Experience,
            ("contract_name", "client", "value", "year"),
            _("Pengalaman"),
        ),
        SectionSpec(
            CompanySection.EQUIPMENT,
            Equipment,
            ("kind", "quantity", "ownership"),
            _("Peralatan"),
        ),
    )
}


def section_spec(code: str) -> SectionSpec:
    try:
        return SECTIONS[code]
    except KeyError:
        raise Http404 from None


def vendor_of(user):
    """The Vendor of a vendor user, else None."""
    if user is None or not user.is_authenticated:
        return None
    from .models import Vendor

    return Vendor.objects.filter(user=user).first()


def _own_vendor_scope(queryset: QuerySet, user) -> QuerySet:
    return queryset.filter(vendor__user=user)


def _document_scope(queryset: QuerySet, user) -> QuerySet:
    if user_has_any_role(user, DOCUMENT_STAFF):
        return queryset
    return queryset.filter(vendor__user=user)


def get_record_for_user(section: str, user, pk: int):
    """One record of the user's own company (404 for anybody else's)."""
    spec = section_spec(section)
    return get_object_for_user(spec.model.objects.all(), user, _own_vendor_scope, pk=pk)


def get_document_for_user(user, pk: int) -> CompanyDocument:
    """A document version the user may download: its vendor, or verifier/helpdesk/appadmin/head."""
    return get_object_for_user(
        CompanyDocument.objects.select_related("vendor"), user, _document_scope, pk=pk
    )


def documents_by_record(vendor, section: str) -> dict[int, list[CompanyDocument]]:
    """record id -> its document versions, newest first (one query)."""
    result: dict[int, list[CompanyDocument]] = {}
    for document in CompanyDocument.objects.filter(vendor=vendor, section=section).order_by(
        "record_id", "-version"
    ):
        result.setdefault(document.record_id, []).append(document)
    return result


@dataclass
class SectionView:
    spec: SectionSpec
    rows: list


def company_overview(vendor) -> list[SectionView]:
    """Every section with its records and their document versions (two queries a section)."""
    views = []
    for spec in SECTIONS.values():
        documents = documents_by_record(vendor, spec.code)
        rows = []
        for obj in spec.model.objects.filter(vendor=vendor):
            obj.document_versions = documents.get(obj.pk, [])
            obj.values = [
                (obj._meta.get_field(name).verbose_name, _display(obj, name))
                for name in spec.fields
            ]
            rows.append(obj)
        views.append(SectionView(spec, rows))
    return views


def _display(obj, name: str):
    display = getattr(obj, f"get_{name}_display", None)
    return display() if display else getattr(obj, name)


def upload_attempts(vendor=None) -> QuerySet[UploadAttempt]:
    queryset = UploadAttempt.objects.select_related("vendor", "user")
    if vendor is not None:
        queryset = queryset.filter(vendor=vendor)
    return queryset


def email_changes() -> QuerySet[EmailChangeRequest]:
    return EmailChangeRequest.objects.select_related(
        "vendor", "letter", "requested_by", "reviewed_by", "applied_by"
    )


def email_change_list(user, filters: dict) -> QuerySet[EmailChangeRequest]:
    """E-mail changes for the list page and its export alike (ERR-2, RPT-1), newest first.

    `filters` is the cleaned `EmailChangeFilterForm`; the scope is that of
    `get_email_change_for_user` (staff every request, a vendor its own).
    """
    queryset = _email_change_scope(email_changes(), user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    text = " ".join((filters.get("q") or "").split())
    if text:
        queryset = queryset.filter(
            Q(vendor__name__icontains=text) | Q(old_email__iexact=text) | Q(new_email__iexact=text)
        )
    return queryset.filter(
        in_period("requested_at", filters.get("dari"), filters.get("sampai"))
    ).order_by("-requested_at", "-pk")


def _email_change_scope(queryset: QuerySet, user) -> QuerySet:
    if user_has_any_role(
        user, (*EMAIL_CHANGE_REVIEW_ROLES, *EMAIL_CHANGE_APPLY_ROLES, *EMAIL_CHANGE_LIST_ROLES)
    ):
        return queryset
    return queryset.filter(vendor__user=user)


def get_email_change_for_user(user, pk: int) -> EmailChangeRequest:
    return get_object_for_user(email_changes(), user, _email_change_scope, pk=pk)
