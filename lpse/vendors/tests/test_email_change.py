# ruff: noqa: F811 - the shared fixtures are imported from company_helpers
"""E-mail change of a vendor through SOP 3.3 (ERR-2): request, desk check, apply, notices."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.sop.models import StepRun
from lpse.sop.services import load_procedures
from lpse.vendors.company import EmailChangeRequest, UploadAttempt
from lpse.vendors.models import Vendor

from .company_helpers import EXE, PDF, company, media, other_company, upload  # noqa: F401

NEW = "direksi@majujaya-baru.co.id"


@pytest.fixture
def registry(db):
    return load_procedures()


@pytest.fixture
def requested(registry, company, client):
    login(client, company.user)
    response = client.post(
        reverse("vendors:email_change_request"),
        {"new_email": NEW, "letter": upload("surat-pernyataan.pdf", PDF)},
    )
    assert response.status_code == 302
    return EmailChangeRequest.objects.get(vendor=company)


def confirm(client, verifier, change):
    login(client, verifier)
    return client.post(
        reverse("vendors:email_change_review", args=[change.pk]),
        {
            "deed_seen": "on",
            "director_ktp_seen": "on",
            "note": "Akta dan KTP cocok",
            "action": "confirm",
        },
    )


def test_full_path_changes_both_emails_and_notifies_old_and_new(
    requested, client, verifier, appadmin, django_capture_on_commit_callbacks
):
    """ERR-2, SOP 3.3 steps 1-3: request -> verifier -> admin receives -> applied."""
    vendor = requested.vendor
    assert confirm(client, verifier, requested).status_code == 302
    login(client, appadmin)
    url = reverse("vendors:email_change_apply", args=[requested.pk])
    assert client.post(url, {"action": "receive"}).status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "apply"}).status_code == 302

    vendor = Vendor.objects.select_related("user").get(pk=vendor.pk)
    assert vendor.email == NEW
    assert vendor.user.email == NEW
    change = EmailChangeRequest.objects.get(pk=requested.pk)
    assert change.status == "applied"
    assert (change.deed_seen, change.director_ktp_seen) == (True, True)
    assert change.reviewed_by == verifier and change.applied_by == appadmin

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["admin@majujaya.co.id", NEW])
    for message in mail.outbox:
        assert "E-mail perusahaan telah diubah" in message.subject
        assert "admin@majujaya.co.id menjadi " + NEW in message.body
        assert message.alternatives[0][1] == "text/html"

    runs = StepRun.objects.filter(case__object_id=str(change.pk), case__procedure__code="3.3")
    assert sorted(run.step.number for run in runs if run.ended_at) == [1, 2, 3]
    assert change.sop_case.status == "closed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "vendors.email_change_request",
        "vendors.email_change_confirm",
        "vendors.email_change_receive",
        "vendors.email_change_apply",
        "vendors.document_upload",
    } <= actions


def test_step_three_is_timed_against_its_15_30_minute_standard(
    requested, client, verifier, appadmin
):
    """SOP 3.3 step 3 runs from receipt to the change; its due time is 30 minutes later."""
    confirm(client, verifier, requested)
    login(client, appadmin)
    url = reverse("vendors:email_change_apply", args=[requested.pk])
    client.post(url, {"action": "receive"})
    run = StepRun.objects.get(case__object_id=str(requested.pk), step__number=3)
    assert run.ended_at is None
    assert (run.due_at - run.started_at).total_seconds() == 30 * 60
    client.post(url, {"action": "apply"})
    run.refresh_from_db()
    assert run.ended_at is not None


def test_confirm_requires_both_originals_seen(requested, client, verifier):
    """ERR-2: no confirmation without the deed and the director's original KTP."""
    login(client, verifier)
    response = client.post(
        reverse("vendors:email_change_review", args=[requested.pk]),
        {"deed_seen": "on", "note": "", "action": "confirm"},
    )
    assert response.status_code == 400
    assert "KTP asli direktur" in response.content.decode()
    assert EmailChangeRequest.objects.get().status == "submitted"


def test_verifier_refusal_keeps_the_email_and_tells_the_vendor(
    requested, client, verifier, django_capture_on_commit_callbacks
):
    """ERR-2: refused with reasons; the old address is told; e-mail unchanged; case closed."""
    login(client, verifier)
    url = reverse("vendors:email_change_review", args=[requested.pk])
    assert client.post(url, {"note": "", "action": "refuse"}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "KTP direktur tidak dibawa", "action": "refuse"})
    assert response.status_code == 302
    change = EmailChangeRequest.objects.get()
    assert change.status == "refused"
    assert Vendor.objects.get().email == "admin@majujaya.co.id"
    assert [message.to for message in mail.outbox] == [["admin@majujaya.co.id"]]
    assert "KTP direktur tidak dibawa" in mail.outbox[0].body
    assert change.sop_case.status == "closed"
    assert AuditEvent.objects.filter(action="vendors.email_change_refuse").exists()


def test_duplicate_address_of_another_vendor_is_refused(registry, company, other_company, client):
    """ERR-2: another vendor's address is refused with a clear message, nothing stored."""
    login(client, company.user)
    response = client.post(
        reverse("vendors:email_change_request"),
        {"new_email": "KANTOR@cvlain.co.id", "letter": upload("surat.pdf", PDF)},
    )
    assert response.status_code == 400
    assert "sudah dipakai oleh penyedia atau pengguna lain" in response.content.decode()
    assert not EmailChangeRequest.objects.exists()


def test_statement_letter_follows_the_upload_rules(registry, company, client):
    """ERR-2, REG-7: an .exe named .pdf is refused with the reason; the attempt is recorded."""
    login(client, company.user)
    response = client.post(
        reverse("vendors:email_change_request"),
        {"new_email": NEW, "letter": upload("surat.pdf", EXE)},
    )
    assert response.status_code == 400
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert not EmailChangeRequest.objects.exists()
    assert UploadAttempt.objects.get().section == "email_change"


def test_apply_refused_when_address_taken_meanwhile(requested, client, verifier, appadmin):
    """ERR-2: checked again at apply time; nothing changes."""
    confirm(client, verifier, requested)
    make_user("pemakai_lain", Role.VENDOR, email=NEW)
    login(client, appadmin)
    url = reverse("vendors:email_change_apply", args=[requested.pk])
    client.post(url, {"action": "receive"})
    response = client.post(url, {"action": "apply"})
    assert response.status_code == 400
    assert "sudah dipakai" in response.content.decode()
    assert Vendor.objects.get().email == "admin@majujaya.co.id"
    assert client.post(url, {"action": "refuse", "reason": " "}).status_code == 400
    response = client.post(url, {"action": "refuse", "reason": "Alamat sudah dipakai akun lain"})
    assert response.status_code == 302
    change = EmailChangeRequest.objects.get()
    assert (change.status, change.refusal_reason) == ("refused", "Alamat sudah dipakai akun lain")
    assert change.sop_case.status == "closed"
    assert StepRun.objects.get(case=change.sop_case, step__number=3).ended_at is not None


def test_roles_guard_each_step(requested, client, verifier, appadmin, helpdesk):
    """ERR-2, SEC-1: vendor cannot review/apply; verifier cannot apply; admin cannot review."""
    review = reverse("vendors:email_change_review", args=[requested.pk])
    apply = reverse("vendors:email_change_apply", args=[requested.pk])
    assert client.post(review, {"action": "confirm"}).status_code == 403
    assert client.post(apply, {"action": "apply"}).status_code == 403
    login(client, verifier)
    assert client.post(apply, {"action": "receive"}).status_code == 403
    login(client, appadmin)
    assert client.post(review, {"action": "confirm"}).status_code == 403
    login(client, helpdesk)
    assert client.get(reverse("vendors:email_changes")).status_code == 403


def test_vendor_sees_only_its_own_requests(requested, other_company, client):
    """ERR-2: object-level access through the own-vendor scope."""
    login(client, other_company.user)
    page = client.get(reverse("vendors:email_change_request")).content.decode()
    assert NEW not in page
    login(client, requested.vendor.user)
    assert NEW in client.get(reverse("vendors:email_change_request")).content.decode()


def test_vendor_has_no_other_way_to_change_its_email(requested, client):
    """ERR-2: posting an e-mail to the company data pages changes nothing."""
    client.post(
        reverse("vendors:company_add", args=["permit"]),
        {"kind": "SIUP", "number": "1", "issuer": "DPMPTSP", "email": "lain@contoh.co.id"},
    )
    assert Vendor.objects.get().email == "admin@majujaya.co.id"


def test_agency_admin_list_shows_all_changes_with_constant_queries(
    registry, company, client, django_assert_max_num_queries
):
    """ERR-2, SOP 3.3 recording duty: agency admin sees old, new, documents seen, actors."""
    from lpse.vendors.email_change_services import request_change

    from .company_helpers import make_vendor

    for index in range(6):
        user = make_user(f"vendor{index}", Role.VENDOR, email=f"lama{index}@contoh.co.id")
        vendor = make_vendor(user, name=f"PT Nomor {index}", tax_id=f"1111111111111{index:02d}")
        request_change(vendor, f"baru{index}@contoh.co.id", upload("s.pdf", PDF), by=user)
    agency = make_user("admin_agency", Role.AGENCY_ADMIN)
    login(client, agency)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("vendors:email_changes"))
    page = response.content.decode()
    assert response.status_code == 200
    for index in range(6):
        assert f"lama{index}@contoh.co.id" in page and f"baru{index}@contoh.co.id" in page


def test_every_step_page_shows_the_request_to_its_actor(requested, client, verifier, appadmin):
    """ERR-2: the verifier and the administrator see the letter, old and new address."""
    login(client, verifier)
    page = client.get(reverse("vendors:email_change_review", args=[requested.pk])).content
    assert b"surat-pernyataan.pdf" in page and NEW.encode() in page
    assert b"KTP asli direktur sudah diperlihatkan" in page
    confirm(client, verifier, requested)
    login(client, appadmin)
    page = client.get(reverse("vendors:email_change_apply", args=[requested.pk])).content
    assert b"Terima surat pernyataan" in page and b"admin@majujaya.co.id" in page
    listing = client.get(reverse("vendors:email_changes")).content
    assert reverse("vendors:email_change_apply", args=[requested.pk]).encode() in listing


def test_oversize_statement_letter_is_refused_and_recorded(registry, company, client, settings):
    """ERR-2, REG-7: the letter follows the size limit; the attempt is kept for the helpdesk."""
    settings.LPSE_MAX_UPLOAD_MB = 1
    login(client, company.user)
    response = client.post(
        reverse("vendors:email_change_request"),
        {"new_email": NEW, "letter": upload("surat.pdf", PDF + b"0" * (1024 * 1024))},
    )
    assert response.status_code == 400
    assert "batas ukuran 1 MB" in response.content.decode()
    assert not EmailChangeRequest.objects.exists()
    attempt = UploadAttempt.objects.get()
    assert (attempt.section, attempt.error_code, attempt.original_name) == (
        "email_change",
        "too_large",
        "surat.pdf",
    )
