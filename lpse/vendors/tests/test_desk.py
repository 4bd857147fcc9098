"""The verification desk: queue, search, checklist and outcomes (REG-4, REG-6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.sop.choices import CaseStatus
from lpse.vendors.choices import VendorStatus
from lpse.vendors.models import Verification, VerificationChecklistItem

from .test_registration_helpers import make_applicant, registry  # noqa: F401 - fixture

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]
DESK_TIME = datetime(2026, 5, 5, 10, 0, tzinfo=WIB)  # Tuesday, desk open


def applicant(number: int, **overrides):
    defaults = {
        "name": f"CV Sumber Rejeki {number:03d}",
        "tax_id": f"{number:015d}",
        "business_id": f"{number:013d}",
        "username": f"sumber{number:03d}",
    }
    return make_applicant(f"admin{number}@sumber.co.id", **(defaults | overrides))


def all_seen(items, **extra) -> dict:
    data = {f"seen_{item.pk}": "on" for item in items}
    data.update(extra)
    return data


def test_reg4_queue_lists_oldest_deadline_first_and_finds_by_name_npwp_user_id_number(
    client, verifier
):
    with time_machine.travel(DESK_TIME - timedelta(days=1), tick=False):
        late = applicant(2, name="PT Zamrud Khatulistiwa")
    with time_machine.travel(DESK_TIME - timedelta(days=3), tick=False):
        early = applicant(1, name="PT Anugerah Bangun")
    login(client, verifier)
    text = client.get(reverse("vendors:desk")).content.decode()
    assert text.index(early.registration_number) < text.index(late.registration_number)
    for query in ("zamrud", "PT ZAMRUD", late.tax_id, "sumber002", late.registration_number):
        found = client.get(reverse("vendors:desk"), {"q": query}).content.decode()
        assert late.registration_number in found, query
        assert early.registration_number not in found, query
    none = client.get(reverse("vendors:desk"), {"q": "khatulistiwa"}).content.decode()
    assert "Tidak ada pendaftar yang menunggu verifikasi." in none


@pytest.mark.parametrize("count", [5, 50])
def test_reg4_queue_query_count_does_not_grow_with_applicants(
    client, verifier, count, django_assert_max_num_queries
):
    for number in range(count):
        applicant(number + 1)
    login(client, verifier)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("vendors:desk"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(reverse("vendors:desk"), {"q": "cv sumber", "page": "2"})


def test_reg4_desk_is_closed_to_vendors_and_helpdesk(client, helpdesk, vendor):
    target = applicant(1)
    for user in (helpdesk, vendor):
        login(client, user)
        assert client.get(reverse("vendors:desk")).status_code == 403
        assert client.get(reverse("vendors:desk_verify", args=[target.pk])).status_code == 403


def test_reg4_opening_an_applicant_starts_step_9_and_outside_hours_is_recorded_not_refused(
    client, verifier
):
    with time_machine.travel(DESK_TIME - timedelta(days=1), tick=False):
        target = applicant(1)
    login(client, verifier)
    with time_machine.travel(DESK_TIME, tick=False):
        response = client.get(reverse("vendors:desk_verify", args=[target.pk]))
    assert response.status_code == 200
    assert "Akta pendirian perusahaan" in response.content.decode()
    runs = {run.step.number: run for run in target.sop_case.runs.select_related("step")}
    assert runs[7].ended_at == DESK_TIME and runs[8].ended_at == DESK_TIME
    assert runs[9].started_at == DESK_TIME and runs[9].ended_at is None
    assert Verification.objects.get().outside_desk_hours is False
    # Saturday evening: recorded with a warning, not refused.
    with time_machine.travel(DESK_TIME, tick=False):
        other = applicant(2)
    with time_machine.travel(datetime(2026, 5, 9, 19, 0, tzinfo=WIB), tick=False):
        login(client, verifier)
        late = client.get(reverse("vendors:desk_verify", args=[other.pk]))
    assert late.status_code == 200
    assert "di luar jam layanan verifikasi" in late.content.decode()
    assert Verification.objects.get(vendor=other).outside_desk_hours is True


def test_reg4_tanda_lengkap_needs_every_required_document_and_the_originals(
    client, verifier, mailoutbox
):
    target = applicant(1)
    items = list(VerificationChecklistItem.objects.filter(active=True))
    required = [item for item in items if item.required]
    login(client, verifier)
    url = reverse("vendors:desk_verify", args=[target.pk])
    data = all_seen(items, outcome="complete")
    del data[f"seen_{required[0].pk}"]
    response = client.post(url, data)
    text = response.content.decode()
    assert "Tanda lengkap hanya bila semua dokumen wajib ada." in text
    assert required[0].label in text
    assert "Tanda lengkap hanya bila dokumen asli sudah diperlihatkan." in text
    target.refresh_from_db()
    assert target.status == VendorStatus.PENDING_VERIFICATION
    assert not mailoutbox


def test_reg6_incomplete_records_reasons_and_emails_the_missing_documents(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    target = applicant(1)
    items = list(VerificationChecklistItem.objects.filter(active=True))
    npwp = VerificationChecklistItem.objects.get(code="npwp")
    login(client, verifier)
    url = reverse("vendors:desk_verify", args=[target.pk])
    data = all_seen(items, outcome="incomplete", originals_seen="on")
    del data[f"seen_{npwp.pk}"]
    data[f"note_{npwp.pk}"] = "Hanya fotokopi, asli tertinggal"
    refused = client.post(url, data)
    assert "Alasan wajib diisi; alasan ini dikirim ke penyedia." in refused.content.decode()
    mailoutbox.clear()
    data["reasons"] = "NPWP asli belum dibawa."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    verification = Verification.objects.get(ended_at__isnull=False)
    assert verification.outcome == "incomplete"
    assert verification.checks.get(item=npwp).result == "missing"
    target.refresh_from_db()
    assert target.status == VendorStatus.PENDING_VERIFICATION
    message = mailoutbox[-1]
    assert message.to == [target.email] and "belum lengkap" in message.subject
    assert "NPWP asli belum dibawa." in message.body
    assert "NPWP perusahaan: Hanya fotokopi, asli tertinggal" in message.body
    # The applicant may come back: the case waits at step 7 again.
    case = target.sop_case
    assert case.status == CaseStatus.OPEN
    assert case.runs.filter(step__number=7, ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="vendors.verification_incomplete").exists()


def test_reg6_rejection_closes_the_case_and_tells_the_vendor_why(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    target = applicant(1)
    login(client, verifier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("vendors:desk_verify", args=[target.pk]),
            {"outcome": "rejected", "reasons": "Akta pendirian tidak sesuai dengan NPWP."},
        )
    target.refresh_from_db()
    assert target.status == VendorStatus.REJECTED
    assert target.sop_case.status == CaseStatus.CLOSED
    assert "ditolak" in mailoutbox[-1].subject
    assert "Akta pendirian tidak sesuai dengan NPWP." in mailoutbox[-1].body


def test_reg4_head_configures_the_checklist_and_verifiers_cannot(client, head, verifier):
    login(client, verifier)
    assert client.get(reverse("vendors:checklist")).status_code == 403
    login(client, head)
    response = client.post(
        reverse("vendors:checklist"),
        {
            "code": "sppkp",
            "label": "Surat Pengukuhan PKP",
            "description": "",
            "required": "on",
            "order": "90",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert VerificationChecklistItem.objects.get(code="sppkp").required
    akta = VerificationChecklistItem.objects.get(code="akta-perubahan")
    client.post(
        reverse("vendors:checklist_edit", args=[akta.pk]),
        {"code": akta.code, "label": akta.label, "order": akta.order, "required": ""},
    )
    akta.refresh_from_db()
    assert akta.active is False
    assert AuditEvent.objects.filter(action="vendors.checklist_save").count() == 2
    target = applicant(1)
    login(client, verifier)
    page = client.get(reverse("vendors:desk_verify", args=[target.pk])).content.decode()
    assert "Surat Pengukuhan PKP" in page and akta.label not in page
