"""Fixtures of the company data and e-mail change tests (REG-7, ERR-2, SEC-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_vendor(user, *, name="PT Maju Jaya", tax_id="012345678901234", verified=True, **extra):
    from lpse.vendors.choices import VendorStatus
    from lpse.vendors.models import Vendor

    now = timezone.now()
    return Vendor.objects.create(
        name=name,
        legal_form="pt",
        tax_id=tax_id,
        address="Jl. Raya Tigaraksa No. 1",
        city="Kabupaten Tangerang",
        phone="021555000",
        director_name="Budi Santoso",
        director_id_number="3603010101800001",
        email=user.email,
        user=user,
        status=VendorStatus.VERIFIED if verified else VendorStatus.PENDING_VERIFICATION,
        registration_number=extra.pop("registration_number", f"REG-{tax_id[-6:]}"),
        verification_deadline=now + timedelta(days=7),
        verified_at=now if verified else None,
        **extra,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def company(vendor, media):
    """The verified vendor PT Maju Jaya of the shared `vendor` user."""
    return make_vendor(vendor)


@pytest.fixture
def other_company(db, media):
    user = make_user("cv_lain", Role.VENDOR, email="kantor@cvlain.co.id")
    return make_vendor(user, name="CV Lain", tax_id="998877665544332")
