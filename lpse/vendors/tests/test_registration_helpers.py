"""Shared helpers of the registration, desk and activation tests (no tests here)."""

from __future__ import annotations

import re

import pytest

from lpse.sop.services import load_procedures
from lpse.vendors import services
from lpse.vendors.models import BusinessField

LINK = re.compile(r"https?://\S+/penyedia/konfirmasi/[\w-]+/")


def form_data(**overrides) -> dict:
    """A valid online registration form as a vendor fills it in (REG-2)."""
    fields = list(
        BusinessField.objects.filter(parent__isnull=False)
        .order_by("code")
        .values_list("pk", flat=True)[:2]
    )
    data = {
        "name": "PT Maju Jaya Konstruksi",
        "legal_form": "pt",
        "tax_id": "01.234.567.8-901.000",
        "business_id": "9120001234567",
        "address": "Jl. Raya Serang Km 12 No. 5",
        "city": "Kabupaten Tangerang",
        "phone": "021-5550123",
        "director_name": "Budi Santoso",
        "director_id_number": "3603121203800004",
        "business_fields": [str(pk) for pk in fields],
        "username": "majujaya",
    }
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    """The cleaned form of `form_data`, for calling `register_vendor` directly."""
    data = form_data(**overrides)
    data["tax_id"] = re.sub(r"\D", "", data["tax_id"])
    data["business_fields"] = list(BusinessField.objects.filter(pk__in=data["business_fields"]))
    return data


def make_applicant(email: str = "admin@majujaya.co.id", **overrides):
    """Register an applicant through the services (REG-1, REG-2): pending verification."""
    _confirmation, raw = services.request_confirmation(email)
    return services.register_vendor(raw, service_data(**overrides))


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def registry(db):
    return load_procedures()


def ensure_reference_data() -> None:
    """Reload the business fields and checklist of migration 0002: transactional tests
    (browser, concurrency) run after a database flush, which empties them."""
    from importlib import import_module

    from django.apps import apps

    import_module("lpse.vendors.migrations.0002_reference_data").load(apps, None)
