# ruff: noqa: F811 - the shared fixtures are imported from company_helpers
"""Company data pages, document versions, diagnostics and protected downloads (REG-7, SEC-3)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.vendors.company import CompanyDocument, Experience, Permit, UploadAttempt

from .company_helpers import (  # noqa: F401
    EXE,
    JPEG,
    PDF,
    PNG,
    company,
    make_vendor,
    media,
    other_company,
    upload,
)


@pytest.fixture
def permit(company, client):
    login(client, company.user)
    response = client.post(
        reverse("vendors:company_add", args=["permit"]),
        {"kind": "SIUP", "number": "510/123/2024", "issuer": "DPMPTSP Kab. Tangerang"},
    )
    assert response.status_code == 302
    return Permit.objects.get(vendor=company)


def post_upload(client, record, section, name, content, **extra):
    return client.post(
        reverse("vendors:company_upload", args=[section, record.pk]),
        {"document": upload(name, content)},
        **extra,
    )


def test_verified_vendor_adds_records_with_exact_rupiah_value(company, client):
    """REG-7: experience value kept as an exact Decimal; the overview lists every section."""
    login(client, company.user)
    response = client.post(
        reverse("vendors:company_add", args=["experience"]),
        {
            "contract_name": "Rehabilitasi Gedung Kecamatan",
            "client": "Dinas PU Kab. Tangerang",
            "value": "1234567890.55",
            "year": "2024",
        },
    )
    assert response.status_code == 302
    assert Experience.objects.get(vendor=company).value == Decimal("1234567890.55")
    page = client.get(reverse("vendors:company")).content.decode()
    for title in ("Izin usaha", "Akta", "Pajak", "Tenaga ahli", "Pengalaman", "Peralatan"):
        assert title in page
    assert "Rehabilitasi Gedung Kecamatan" in page
    assert AuditEvent.objects.filter(action="vendors.company_add").count() == 1


def test_bad_input_is_refused_next_to_the_field(company, client):
    login(client, company.user)
    response = client.post(
        reverse("vendors:company_add", args=["staff"]),
        {"name": "Ir. Sari", "position": "Ahli K3", "education": "S1", "experience_years": "x"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    from lpse.vendors.company import ExpertStaff

    assert not ExpertStaff.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("izin.pdf", PDF, "pdf"), ("foto.jpg", JPEG, "jpeg"), ("pindai.png", PNG, "png")],
)
def test_pdf_jpeg_png_are_accepted_with_correct_fingerprints(permit, client, name, content, kind):
    """REG-7: size, detected type, MD5 and SHA-256 equal hashlib's; audit event written."""
    response = post_upload(client, permit, "permit", name, content, HTTP_USER_AGENT="Uji/1.0")
    assert response.status_code == 302
    document = CompanyDocument.objects.get(record_id=permit.pk, section="permit")
    assert document.version == 1
    assert document.size == len(content)
    assert document.detected_type == kind
    assert document.md5 == hashlib.md5(content).hexdigest()  # noqa: S324
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert document.uploaded_by == permit.vendor.user
    attempt = UploadAttempt.objects.get()
    assert (attempt.outcome, attempt.bytes_received, attempt.user_agent) == (
        "ok",
        len(content),
        "Uji/1.0",
    )
    assert AuditEvent.objects.filter(action="vendors.document_upload").count() == 1


def test_renamed_exe_is_refused_with_reason_and_earlier_version_kept(permit, client):
    """REG-7: refused by content, the reason shown in Indonesian, version 1 stays current,
    and both attempts are in the diagnostics."""
    post_upload(client, permit, "permit", "izin.pdf", PDF)
    response = post_upload(client, permit, "permit", "izin-baru.pdf", EXE)
    assert response.status_code == 400
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    documents = CompanyDocument.objects.filter(record_id=permit.pk)
    assert [d.version for d in documents] == [1]
    assert documents[0].sha256 == hashlib.sha256(PDF).hexdigest()
    refused = UploadAttempt.objects.get(outcome="rejected")
    assert refused.error_code == "bad_type"
    assert refused.original_name == "izin-baru.pdf"
    assert refused.detected_type == "exe"
    assert refused.bytes_received == len(EXE)
    assert UploadAttempt.objects.count() == 2


def test_oversize_upload_is_refused_and_recorded(permit, client, settings):
    """REG-7: LPSE_MAX_UPLOAD_MB enforced; the attempt is kept for the helpdesk (ERR-4)."""
    settings.LPSE_MAX_UPLOAD_MB = 1
    response = post_upload(client, permit, "permit", "besar.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "batas ukuran 1 MB" in response.content.decode()
    assert not CompanyDocument.objects.exists()
    attempt = UploadAttempt.objects.get()
    assert (attempt.outcome, attempt.error_code) == ("rejected", "too_large")
    assert attempt.original_name == "besar.pdf"
    assert 1024 * 1024 < attempt.bytes_received <= 1024 * 1024 + len(PDF)


def test_upload_pages_still_check_csrf(permit, client):
    """SEC-1: the size-limited upload views keep Django's CSRF check."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(permit.vendor.user)
    response = strict.post(
        reverse("vendors:company_upload", args=["permit", permit.pk]),
        {"document": upload("izin.pdf", PDF)},
    )
    assert response.status_code == 403
    response = strict.post(
        reverse("vendors:email_change_request"),
        {"new_email": "baru@contoh.co.id", "letter": upload("surat.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not CompanyDocument.objects.exists()


def test_new_upload_adds_a_version_and_earlier_versions_stay_downloadable(permit, client):
    """REG-7: version n+1; the owner still downloads version 1."""
    post_upload(client, permit, "permit", "izin.pdf", PDF)
    post_upload(client, permit, "permit", "izin-2.png", PNG)
    first, second = CompanyDocument.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    response = client.get(reverse("vendors:document_download", args=[first.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("vendors:company_edit", args=["permit", permit.pk])).content
    assert b"izin.pdf" in page and b"izin-2.png" in page


def test_download_is_an_attachment_with_nosniff(permit, client):
    """SEC-3: never inline, type not sniffed, original name in the attachment."""
    post_upload(client, permit, "permit", "izin usaha.pdf", PDF)
    document = CompanyDocument.objects.get()
    response = client.get(reverse("vendors:document_download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "izin usaha.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_another_vendor_gets_404_and_staff_may_download(
    permit, client, other_company, verifier, helpdesk, committee
):
    """SEC-3: object-level access: other vendor 404, verifier/helpdesk 200, committee 403."""
    post_upload(client, permit, "permit", "izin.pdf", PDF)
    url = reverse("vendors:document_download", args=[CompanyDocument.objects.get().pk])
    login(client, other_company.user)
    assert client.get(url).status_code == 404
    edit = reverse("vendors:company_edit", args=["permit", permit.pk])
    assert client.get(edit).status_code == 404
    for staff in (verifier, helpdesk):
        login(client, staff)
        assert client.get(url).status_code == 200
    login(client, committee)
    assert client.get(url).status_code == 403


def test_stored_file_is_not_under_a_public_name(permit, client, media):
    """SEC-3: the file on disk is named by its SHA-256, not by the user's name."""
    post_upload(client, permit, "permit", "rahasia.pdf", PDF)
    files = [p.name for p in media.rglob("*") if p.is_file()]
    assert files == [f"{hashlib.sha256(PDF).hexdigest()}.pdf"]


def test_unverified_vendor_sees_why_and_cannot_change_data(vendor, media, client):
    """REG-7, REG-3: only a verified vendor changes company data."""
    pending = make_vendor(vendor, verified=False)
    login(client, vendor)
    page = client.get(reverse("vendors:company")).content.decode()
    assert "hanya dapat diubah oleh penyedia yang sudah terverifikasi" in page
    response = client.post(
        reverse("vendors:company_add", args=["permit"]),
        {"kind": "SIUP", "number": "1", "issuer": "DPMPTSP"},
    )
    assert response.status_code == 302
    assert not Permit.objects.filter(vendor=pending).exists()


def test_delete_record_is_audited(permit, client):
    response = client.post(reverse("vendors:company_delete", args=["permit", permit.pk]))
    assert response.status_code == 302
    assert not Permit.objects.exists()
    assert AuditEvent.objects.filter(action="vendors.company_delete").exists()


def test_vendor_forms_have_no_email_field(company, client):
    """ERR-2: no company-data form lets the vendor change its e-mail."""
    from lpse.vendors.company_forms import record_form_class
    from lpse.vendors.company_selectors import SECTIONS

    for code in SECTIONS:
        assert not any("email" in name for name in record_form_class(code)().fields)


def test_diagnostics_visible_to_vendor_and_helpdesk_with_constant_queries(
    permit, client, helpdesk, other_company, django_assert_max_num_queries
):
    """REG-7, ERR-4: every attempt listed; the vendor sees only its own; query count locked."""
    for index in range(5):
        post_upload(client, permit, "permit", f"coba-{index}.pdf", EXE)
    post_upload(client, permit, "permit", "benar.pdf", PDF)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("vendors:upload_attempts")).content.decode()
    assert page.count("coba-") == 5 and "benar.pdf" in page
    login(client, other_company.user)
    assert "coba-" not in client.get(reverse("vendors:upload_attempts")).content.decode()
    login(client, helpdesk)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("vendors:upload_attempts")).content.decode()
    assert page.count("PT Maju Jaya") == 6


def test_staff_see_company_data_read_only_with_earlier_versions(
    permit, client, verifier, committee
):
    """REG-7, SEC-3: verifier sees the data and every version; no edit links; others 403."""
    post_upload(client, permit, "permit", "izin.pdf", PDF)
    post_upload(client, permit, "permit", "izin-2.pdf", PDF + b"% v2\n")
    first = CompanyDocument.objects.get(version=1)
    url = reverse("vendors:company_of", args=[permit.vendor.pk])
    login(client, verifier)
    page = client.get(url).content.decode()
    assert "510/123/2024" in page and "izin-2.pdf" in page
    assert reverse("vendors:document_download", args=[first.pk]) in page
    assert reverse("vendors:company_edit", args=["permit", permit.pk]) not in page
    login(client, committee)
    assert client.get(url).status_code == 403


def test_overview_query_count_does_not_grow_with_records(
    company, client, django_assert_max_num_queries
):
    """REG-7: the overview reads each section once, however many records and versions."""
    from lpse.vendors.company_services import save_record, upload_document

    for index in range(8):
        permit = save_record(
            Permit(vendor=company, kind="SIUP", number=f"{index}", issuer="DPMPTSP"),
            by=company.user,
        )
        upload_document(company, "permit", permit.pk, upload(f"{index}.pdf", PDF), by=company.user)
        save_record(
            Experience(
                vendor=company, contract_name=f"Paket {index}", client="Dinas", value=1, year=2024
            ),
            by=company.user,
        )
    login(client, company.user)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("vendors:company")).content.decode()
    assert page.count("Paket ") == 8


class _Streamed:
    """An upload whose size is not declared: only streaming can find it too big."""

    name = "tanpa-ukuran.pdf"
    size = None

    def chunks(self):
        yield PDF
        for _ in range(20):
            yield b"0" * 65536


def test_size_limit_holds_while_streaming_when_size_is_not_declared(company, settings):
    """REG-7: the limit is counted over the chunks; the attempt records bytes received."""
    from lpse.vendors.company_services import upload_document
    from lpse.vendors.uploads import UploadRejected

    settings.LPSE_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadRejected):
        upload_document(company, "permit", 1, _Streamed(), by=company.user)
    attempt = UploadAttempt.objects.get()
    assert attempt.error_code == "too_large"
    assert 1024 * 1024 < attempt.bytes_received <= 1024 * 1024 + 65536 + len(PDF)


def test_delete_page_asks_before_deleting(permit, client):
    response = client.get(reverse("vendors:company_delete", args=["permit", permit.pk]))
    assert response.status_code == 200
    assert "510/123/2024" in response.content.decode()
    assert Permit.objects.exists()
