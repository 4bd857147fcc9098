"""ERR-4 (SOP 3.7-3.8, SAFER): upload-failure reports, diagnostics, support access without
passwords, and the two outcomes "retry" and "escalate to LKPP"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.desk import escalation_services, support_services
from lpse.desk.choices import TicketKind, TicketStatus
from lpse.desk.models import SupportAction, SupportGrant, Ticket
from lpse.sop.models import StepRun
from lpse.vendors.company import Deed, UploadAttempt
from lpse.vendors.tests.company_helpers import EXE, PDF, upload


@pytest.fixture
def failed_attempt(company, vendor):
    deed = Deed.objects.create(
        vendor=company, kind="founding", number="12", date="2020-01-02", notary="Notaris A"
    )
    UploadAttempt.objects.create(
        vendor=company,
        user=vendor,
        section="deed",
        record_id=deed.pk,
        original_name="akta.pdf",
        declared_size=31_000_000,
        bytes_received=20_971_520,
        outcome="rejected",
        error_code="too_large",
        error_message="Berkas melebihi batas ukuran 20 MB.",
        user_agent="Mozilla/5.0 (Windows NT 10.0)",
    )
    return deed


def report(client, vendor):
    login(client, vendor)
    return client.post(
        reverse("desk:report_upload"), {"question": "Akta tidak bisa diunggah, selalu gagal."}
    )


def test_vendor_reports_upload_failure_and_officer_sees_diagnostics_ERR_4(
    client, vendor, helpdesk, failed_attempt
):
    response = report(client, vendor)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.kind == TicketKind.UPLOAD
    assert ticket.vendor.user == vendor
    codes = set(
        ticket.sop_cases.model.objects.filter(object_id=str(ticket.pk)).values_list(
            "procedure__code", flat=True
        )
    )
    assert codes == {"2.1", "3.7"}
    login(client, helpdesk)
    page = client.get(reverse("desk:ticket", args=[ticket.pk])).content.decode()
    assert "Diagnostik unggah penyedia (SOP 3.7)" in page
    assert "too_large" in page and "20971520/31000000" in page


def test_no_password_is_ever_asked_for_ERR_4(client, vendor, helpdesk, failed_attempt):
    report(client, vendor)
    ticket = Ticket.objects.get()
    support_services.grant_access(ticket.vendor, by=vendor, ticket=ticket)
    pages = [
        (vendor, reverse("desk:report_upload")),
        (vendor, reverse("desk:grants")),
        (vendor, reverse("desk:my_ticket", args=[ticket.pk])),
        (helpdesk, reverse("desk:ticket", args=[ticket.pk])),
        (helpdesk, reverse("desk:support", args=[SupportGrant.objects.get().pk])),
    ]
    for user, url in pages:
        login(client, user)
        html = client.get(url).content.decode()
        assert 'type="password"' not in html, url
        assert 'name="password' not in html, url
    source = "".join(p.read_text() for p in Path(__file__).parents[1].glob("*.py"))
    assert "set_password" not in source and "check_password" not in source


def test_grant_is_time_limited_read_only_by_default_and_revocable_ERR_4(
    client, vendor, helpdesk, failed_attempt
):
    company = failed_attempt.vendor
    login(client, vendor)
    response = client.post(reverse("desk:grants"), {"scope": "read", "hours": "2"})
    assert response.status_code == 302
    grant = SupportGrant.objects.get()
    assert grant.scope == "read"
    assert grant.expires_at - grant.granted_at == timedelta(hours=2)
    login(client, helpdesk)
    assert client.get(reverse("desk:support", args=[grant.pk])).status_code == 200
    response = client.post(
        reverse("desk:support_upload", args=[grant.pk]),
        {"section": "deed", "record_id": str(failed_attempt.pk), "document": upload("a.pdf", PDF)},
    )
    assert response.status_code == 400
    assert "hanya untuk melihat" in response.content.decode()
    assert not company.documents.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        client.logout()
        login(client, helpdesk)
        assert client.get(reverse("desk:support", args=[grant.pk])).status_code == 404
    # A new grant, revoked by the vendor, closes at once.
    login(client, vendor)
    client.post(reverse("desk:grants"), {"scope": "read", "hours": "1"})
    second = SupportGrant.objects.latest("pk")
    client.post(reverse("desk:grant_revoke", args=[second.pk]))
    second.refresh_from_db()
    assert second.revoked_at is not None
    login(client, helpdesk)
    assert client.get(reverse("desk:support", args=[second.pk])).status_code == 404
    assert {"desk.support_grant", "desk.support_revoke"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_grant_hours_are_bounded_and_bad_input_changes_nothing_ERR_4(client, vendor, company):
    login(client, vendor)
    response = client.post(reverse("desk:grants"), {"scope": "read", "hours": "48"})
    assert response.status_code == 400
    assert not SupportGrant.objects.exists()


def test_every_staff_action_under_grant_is_audited_and_shown_to_vendor_ERR_4(
    client, vendor, helpdesk, failed_attempt
):
    grant = support_services.grant_access(failed_attempt.vendor, by=vendor, scope="upload")
    login(client, helpdesk)
    client.get(reverse("desk:support", args=[grant.pk]))
    client.post(
        reverse("desk:support_upload", args=[grant.pk]),
        {
            "section": "deed",
            "record_id": str(failed_attempt.pk),
            "document": upload("akta.pdf", EXE),
        },
    )
    response = client.post(
        reverse("desk:support_upload", args=[grant.pk]),
        {
            "section": "deed",
            "record_id": str(failed_attempt.pk),
            "document": upload("akta.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert failed_attempt.vendor.documents.get().uploaded_by == helpdesk
    actions = list(SupportAction.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["view", "upload_try", "upload_try"]
    assert AuditEvent.objects.filter(action__startswith="desk.support_").count() >= 4
    login(client, vendor)
    page = client.get(reverse("desk:grants")).content.decode()
    assert "Melihat data perusahaan dan riwayat unggahan" in page
    assert "Mencoba unggah akta.pdf: ditolak" in page
    assert "Mencoba unggah akta.pdf: berhasil (versi 1)" in page


def test_support_access_is_refused_to_other_roles_SEC_1(client, vendor, verifier, company):
    grant = support_services.grant_access(company, by=vendor)
    login(client, verifier)
    assert client.get(reverse("desk:support", args=[grant.pk])).status_code == 403


def test_outcome_retry_notifies_vendor_with_step_timings_ERR_4(
    client, vendor, helpdesk, failed_attempt, sending
):
    report(client, vendor)
    ticket = Ticket.objects.get()
    login(client, helpdesk)
    with sending():
        response = client.post(
            reverse("desk:upload_retry", args=[ticket.pk]),
            {"explanation": "Berkas Anda 31 MB; batasnya 20 MB. Perkecil lalu unggah lagi."},
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.upload_resolution == "retry"
    assert ticket.status == TicketStatus.ANSWERED
    assert "Perkecil lalu unggah lagi" in mail.outbox[-1].body
    runs = StepRun.objects.filter(case__procedure__code="3.7").select_related("step")
    assert sorted(run.step.number for run in runs) == [1, 2, 3]
    assert all(run.ended_at for run in runs)
    step3 = next(run for run in runs if run.step.number == 3)
    assert step3.due_at == step3.started_at + timedelta(minutes=5)


def test_outcome_escalation_attaches_diagnostics_ERR_4(client, vendor, helpdesk, failed_attempt):
    report(client, vendor)
    ticket = Ticket.objects.get()
    escalation = escalation_services.escalate(
        ticket,
        by=helpdesk,
        reason="cannot_solve",
        sent_summary="Unggah akta gagal walau ukuran sudah diperkecil.",
        lkpp_reference="LKPP-3-7",
    )
    assert "too_large" in escalation.diagnostics
    assert "Mozilla/5.0 (Windows NT 10.0)" in escalation.diagnostics
    ticket.refresh_from_db()
    assert ticket.upload_resolution == "escalated"
    step4 = StepRun.objects.get(case__procedure__code="3.7", step__number=4)
    assert step4.ended_at is None
    assert step4.due_at == step4.started_at + timedelta(hours=24)
    escalation_services.record_lkpp_answer(escalation, by=helpdesk, answer="Perbaikan di server.")
    step4.refresh_from_db()
    assert step4.ended_at is not None


def test_only_vendors_report_upload_failures_ERR_4(client, committee):
    login(client, committee)
    assert client.get(reverse("desk:report_upload")).status_code == 403
