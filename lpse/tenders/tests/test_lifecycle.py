"""BID-1, BID-6: a tender runs from creation to closing through the committee's and vendors'
pages; every action only in its stage; every state change has a transition and an audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.vendors.tests.company_helpers import EXE, PDF, make_vendor, upload

from .. import participation, services
from ..choices import EvaluationOutcome, StageKind, TenderStatus
from ..models import Announcement, Participant, Tender, TenderTransition
from .helpers import (
    LAYOUT,
    T0,
    as_user,
    during,
    join,
    make_tender,
    rows_at,
    tender_data,
    travel,
)

pytestmark = pytest.mark.django_db


def test_committee_creates_tender_with_code_and_is_chair_BID_1(
    client, registry, pokja, ppk, work_unit
):
    login(client, pokja)
    data = {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in tender_data(work_unit, ppk).items()
    }
    with travel(T0 - timedelta(days=2)):
        response = client.post(reverse("tenders:create"), data)
        assert response.status_code == 400
        assert "Pakta Integritas harus disetujui." in response.content.decode()
        response = client.post(reverse("tenders:create"), data | {"accept_pact": "on"})
    tender = Tender.objects.get()
    chair = tender.members.get()
    assert chair.pact_version == "2026-1" and chair.pact_accepted_at == T0 - timedelta(days=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("tenders:schedule", args=[tender.code])
    assert tender.code.isdigit() and len(tender.code) == 8
    assert tender.status == TenderStatus.DRAFT
    assert str(tender.hps) == "1250000000.00"
    assert tender.members.get().is_chair
    assert AuditEvent.objects.filter(action="tenders.create").exists()
    second = services.create_tender(tender_data(work_unit, ppk), by=pokja)
    assert int(second.code) == int(tender.code) + 1


def test_hps_above_ceiling_and_ppk_without_role_are_refused_BID_1(
    client, registry, pokja, work_unit
):
    login(client, pokja)
    not_ppk = make_user("bukan_ppk", Role.COMMITTEE)
    data = {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in tender_data(work_unit, None, ceiling="1000", hps="2000").items()
        if value is not None
    } | {"accept_pact": "on"}
    response = client.post(reverse("tenders:create"), data)
    assert response.status_code == 400
    assert "Nilai HPS tidak boleh melebihi nilai pagu paket." in response.content.decode()
    data["hps"] = "900"
    data["ppk"] = not_ppk.pk
    response = client.post(reverse("tenders:create"), data)
    assert response.status_code == 400
    assert not Tender.objects.exists()


def test_announce_needs_ppk_document_and_schedule_BID_1(registry, pokja, work_unit, media):
    with travel(T0 - timedelta(days=1)):
        tender = services.create_tender(tender_data(work_unit, None), by=pokja)
        with pytest.raises(services.TenderError) as refused:
            services.announce_tender(tender, by=pokja)
    message = refused.value.message
    assert "Pakta Integritas belum disetujui oleh: Iwan Kurniawan." in message
    assert "PPK belum ditetapkan." in message
    assert "Dokumen pemilihan belum diunggah." in message
    assert "Tahap Pengumuman wajib diisi." in message
    tender.refresh_from_db()
    assert tender.status == TenderStatus.DRAFT
    assert not Announcement.objects.exists()


def test_document_upload_checks_type_and_addendum_is_announced_and_emailed_BID_1(
    client, tender, pokja, company, django_capture_on_commit_callbacks
):
    join(tender, company)
    url = reverse("tenders:document_upload", args=[tender.code])
    with as_user(client, pokja, during(StageKind.DOWNLOAD, offset_hours=3)):
        response = client.post(
            url,
            {"title": "Virus", "kind": "addendum", "document": upload("a.pdf", EXE)},
            follow=True,
        )
        assert "Jenis berkas tidak diterima" in response.content.decode()
        assert tender.documents.count() == 1
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {"title": "Adendum 1", "kind": "addendum", "document": upload("ad1.pdf", PDF)},
                follow=True,
            )
    assert "Dokumen diunggah." in response.content.decode()
    assert tender.announcements.filter(kind="addendum").count() == 1
    assert [m.to for m in mail.outbox] == [[company.email]]
    assert "Adendum 1" in mail.outbox[0].body


def test_unverified_vendor_cannot_join_and_pact_is_required_BID_1(client, tender, db, media):
    pending_user = make_user("cv_baru", Role.VENDOR, email="cv@baru.co.id")
    pending = make_vendor(pending_user, name="CV Baru", tax_id="111122223333444", verified=False)
    with travel(during(StageKind.DOWNLOAD)):
        with pytest.raises(participation.TenderError, match="terverifikasi dan aktif"):
            participation.join_tender(tender, pending, accept_pact=True, by=pending_user)
        login(client, pending_user)
        page = client.get(reverse("tenders:join", args=[tender.code])).content.decode()
        assert "Hanya penyedia yang sudah terverifikasi dan aktif" in page
    assert not Participant.objects.exists()


def test_vendor_joins_with_integrity_pact_and_downloads_documents_BID_1(
    client, tender, company, second_company
):
    url = reverse("tenders:join", args=[tender.code])
    document = tender.documents.get()
    download = reverse("tenders:document", args=[tender.code, document.pk])
    with as_user(client, company.user, during(StageKind.DOWNLOAD)):
        assert client.get(download).status_code == 403  # not a participant yet
        response = client.post(url, {})
        assert response.status_code == 400
        assert "Pakta Integritas harus disetujui" in response.content.decode()
        response = client.post(url, {"accept_pact": "on"})
        assert response.status_code == 302
        participant = Participant.objects.get(vendor=company)
        assert participant.pact_version == "2026-1"
        assert participant.pact_accepted_at == during(StageKind.DOWNLOAD)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        # joining twice is refused with a message
        with pytest.raises(services.TenderError, match="sudah terdaftar"):
            join(tender, company, at=during(StageKind.DOWNLOAD, offset_hours=2))
    with (
        travel(during(StageKind.BID_OPENING)),
        pytest.raises(services.TenderError, match="Pendaftaran ditutup"),
    ):
        participation.join_tender(tender, second_company, accept_pact=True, by=second_company.user)


def test_questions_only_during_clarification_and_answers_are_read_BID_1(
    client, tender, pokja, company, second_company
):
    join(tender, company)
    join(tender, second_company)
    url = reverse("tenders:questions", args=[tender.code])
    with as_user(client, company.user, during(StageKind.DOWNLOAD)):
        response = client.post(url, {"text": "Apakah SBU wajib?"})
        assert response.status_code == 400
        assert "hanya pada tahap Pemberian Penjelasan" in response.content.decode()
    with as_user(client, company.user, during(StageKind.CLARIFICATION)):
        assert client.post(url, {"text": "Apakah SBU wajib?"}).status_code == 302
    question = tender.questions.get()
    with as_user(client, pokja, during(StageKind.CLARIFICATION, offset_hours=2)):
        client.post(
            reverse("tenders:question_answer", args=[tender.code, question.pk]),
            {"answer": "Ya, SBU BS001 wajib."},
        )
    login(client, second_company.user)
    page = client.get(url).content.decode()
    assert "Apakah SBU wajib?" in page and "Ya, SBU BS001 wajib." in page
    assert "PT Maju Jaya" not in page  # other vendors' names are not shown to vendors
    assert TenderTransition.objects.filter(tender=tender, kind="question").count() == 2


def test_outsider_and_other_committee_get_404_on_committee_pages_SEC_1(client, tender, outsider):
    other = make_user("pokja_lain", Role.COMMITTEE)
    for user in (outsider, other):
        login(client, user)
        response = client.get(reverse("tenders:manage", args=[tender.code]))
        assert response.status_code in (403, 404)
    login(client, other)
    assert client.get(reverse("tenders:manage", args=[tender.code])).status_code == 404


def _run_to_winner(tender, pokja, company, second_company):
    join(tender, company)
    join(tender, second_company)
    first, second = Participant.objects.filter(tender=tender).order_by("pk")
    with travel(during(StageKind.EVALUATION)):
        participation.record_evaluation(
            first,
            bid_price=1_100_000_000,
            corrected_price=1_099_500_000,
            qualification_passed=True,
            technical_passed=True,
            price_passed=True,
            outcome=EvaluationOutcome.PASSED,
            reasons="",
            rank=1,
            by=pokja,
        )
        participation.record_evaluation(
            second,
            bid_price=1_000_000_000,
            corrected_price=None,
            qualification_passed=False,
            technical_passed=None,
            price_passed=None,
            outcome=EvaluationOutcome.FAILED,
            reasons="SBU tidak sesuai (BS002, bukan BS001).",
            rank=None,
            by=pokja,
        )
    with travel(during(StageKind.WINNER_ANNOUNCEMENT)):
        participation.announce_winner(first, by=pokja)
    return first, second


def test_evaluation_records_outcome_and_reasons_BID_6(
    client, tender, pokja, company, second_company
):
    join(tender, company)
    participant = Participant.objects.get(vendor=company)
    url = reverse("tenders:evaluate", args=[tender.code, participant.pk])
    with as_user(client, pokja, during(StageKind.BID_UPLOAD)):
        response = client.post(url, {"outcome": "failed", "reasons": "x"})
        assert response.status_code == 400
        assert "Evaluasi dicatat mulai tahap Evaluasi Penawaran" in response.content.decode()
    with as_user(client, pokja, during(StageKind.EVALUATION)):
        response = client.post(url, {"outcome": "failed", "reasons": ""})
        assert response.status_code == 400
        assert "Alasan gugur wajib diisi." in response.content.decode()
        response = client.post(
            url,
            {
                "bid_price": "1100000000.00",
                "qualification_passed": "1",
                "technical_passed": "0",
                "outcome": "failed",
                "reasons": "Metode kerja tidak memenuhi.",
            },
        )
        assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.outcome == EvaluationOutcome.FAILED
    assert participant.technical_passed is False
    assert participant.reasons == "Metode kerja tidak memenuhi."
    assert AuditEvent.objects.filter(action="tenders.evaluate").count() == 1


def test_winner_objection_answer_and_close_BID_6(
    client, tender, pokja, company, second_company, django_capture_on_commit_callbacks
):
    _first, _second = _run_to_winner(tender, pokja, company, second_company)
    assert Announcement.objects.filter(tender=tender, kind="winner").count() == 1
    # the losing vendor objects during the objection stage only
    url = reverse("tenders:objections", args=[tender.code])
    with as_user(
        client, second_company.user, during(StageKind.WINNER_ANNOUNCEMENT, offset_hours=2)
    ):
        response = client.post(url, {"text": "SBU kami setara."})
        assert response.status_code == 400
        assert "hanya pada tahap Masa Sanggah" in response.content.decode()
    with as_user(client, second_company.user, during(StageKind.OBJECTION)):
        page = client.get(url).content.decode()
        assert "SBU tidak sesuai (BS002, bukan BS001)." in page  # reasons read by the vendor
        assert client.post(url, {"text": "SBU kami setara."}).status_code == 302
    objection = tender.objections.get()
    close_url = reverse("tenders:close", args=[tender.code])
    after_objection = T0 + timedelta(days=LAYOUT[StageKind.OBJECTION][1], hours=1)
    with as_user(client, pokja, during(StageKind.OBJECTION, offset_hours=5)):
        response = client.post(close_url, follow=True)
        assert "setelah Masa Sanggah berakhir" in response.content.decode()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("tenders:objection_answer", args=[tender.code, objection.pk]),
                {"answer": "Sanggahan tidak diterima: SBU BS002 tidak setara."},
            )
        assert [m.to for m in mail.outbox] == [[second_company.email]]
    with (
        as_user(client, pokja, after_objection),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(close_url, follow=True)
    assert "Tender ditutup (selesai)." in response.content.decode()
    tender.refresh_from_db()
    assert tender.status == TenderStatus.CLOSED
    assert tender.closed_at == after_objection
    assert tender.stage_label() == "Tender Sudah Selesai"
    assert sorted(m.to[0] for m in mail.outbox[-2:]) == sorted(
        [company.email, second_company.email]
    )
    statuses = list(
        TenderTransition.objects.filter(tender=tender, kind="status").values_list(
            "from_state", "to_state"
        )
    )
    assert statuses == [("", "draft"), ("draft", "announced"), ("announced", "closed")]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "tenders.create",
        "tenders.announce",
        "tenders.join",
        "tenders.evaluate",
        "tenders.winner",
        "tenders.objection_file",
        "tenders.objection_answer",
        "tenders.close",
    } <= actions


def test_only_passed_participant_can_win_and_only_once_BID_6(
    tender, pokja, company, second_company
):
    _first, second = _run_to_winner(tender, pokja, company, second_company)
    with (
        travel(during(StageKind.WINNER_ANNOUNCEMENT, offset_hours=2)),
        pytest.raises(services.TenderError, match="sudah diumumkan"),
    ):
        participation.announce_winner(second, by=pokja)


def test_cancel_needs_reason_and_tells_participants_BID_1(
    client, tender, pokja, company, django_capture_on_commit_callbacks
):
    join(tender, company)
    url = reverse("tenders:cancel", args=[tender.code])
    with as_user(client, pokja, during(StageKind.CLARIFICATION)):
        response = client.post(url, {"reason": ""}, follow=True)
        assert "Alasan pembatalan wajib diisi." in response.content.decode()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"reason": "Anggaran direvisi."})
    tender.refresh_from_db()
    assert tender.status == TenderStatus.CANCELLED
    assert tender.closed_at == tender.cancelled_at
    assert tender.is_public
    assert tender.stage_label() == "Tender Batal"
    assert "Anggaran direvisi." in mail.outbox[0].body


def test_committee_list_has_constant_query_count_BID_1(
    client, registry, pokja, ppk, work_unit, media, django_assert_max_num_queries
):
    login(client, pokja)
    make_tender(pokja, ppk, work_unit, announce=False)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("tenders:committee_list"))
    for _ in range(4):
        make_tender(pokja, ppk, work_unit, announce=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("tenders:committee_list"))
    assert response.content.decode().count("Pembangunan Jalan Lingkar Desa Cikupa") == 5


def test_draft_edit_and_member_management_BID_1(client, registry, pokja, ppk, work_unit, media):
    tender = make_tender(pokja, ppk, work_unit, announce=False)
    member = make_user("pokja2", Role.COMMITTEE)
    login(client, pokja)
    client.post(reverse("tenders:member_add", args=[tender.code]), {"user": member.pk})
    assert tender.members.filter(user=member).exists()
    response = client.post(
        reverse("tenders:member_add", args=[tender.code]), {"user": ppk.pk}, follow=True
    )
    assert "Pilih pengguna dengan peran Pokja." in response.content.decode()
    client.post(reverse("tenders:member_remove", args=[tender.code, member.pk]))
    assert not tender.members.filter(user=member).exists()
    assert list(
        TenderTransition.objects.filter(tender=tender, kind="member").values_list(
            "from_state", "to_state", "object_id"
        )
    ) == [("", "added", member.pk), ("added", "removed", member.pk)]
    data = {
        key: (value.pk if hasattr(value, "pk") else value)
        for key, value in tender_data(work_unit, ppk, name="Nama baru").items()
    }
    assert client.post(reverse("tenders:edit", args=[tender.code]), data).status_code == 302
    tender.refresh_from_db()
    assert tender.name == "Nama baru" and tender.name_key == "nama baru"
    with travel(T0):
        services.announce_tender(tender, by=pokja)
    with pytest.raises(services.TenderError, match="draf"):
        services.update_tender(tender, {"name": "x"}, by=pokja)
    with pytest.raises(services.TenderError, match="permohonan perubahan jadwal"):
        services.save_schedule(tender, rows_at(), by=pokja)


def test_pokja_member_and_ppk_accept_integrity_pact_before_announcement_BID_1(
    client, registry, pokja, ppk, work_unit, media
):
    member = make_user("pokja2", Role.COMMITTEE, first_name="Nurul", last_name="Hidayah")
    with travel(T0 - timedelta(days=1)):
        tender = services.create_tender(tender_data(work_unit, ppk), by=pokja, accept_pact=True)
        services.add_member(tender, member, by=pokja)
        services.save_schedule(tender, rows_at(), by=pokja)
        services.upload_document(
            tender, upload("d.pdf", PDF), title="Dokumen", kind="tender_document", by=pokja
        )
    with travel(T0), pytest.raises(services.TenderError) as refused:
        services.announce_tender(tender, by=pokja)
    assert "Pakta Integritas belum disetujui oleh: Nurul Hidayah, ppk (PPK)." in (
        refused.value.message
    )
    url = reverse("tenders:pact", args=[tender.code])
    with as_user(client, ppk, T0 - timedelta(hours=3)):
        page = client.get(reverse("tenders:pact_list")).content.decode()
        assert tender.code in page
        assert "Pakta Integritas (versi 2026-1)" in client.get(url).content.decode()
        client.post(url, {"accept": "on"})
        assert "Anda menyetujui Pakta Integritas ini pada" in client.get(url).content.decode()
    with as_user(client, member, T0 - timedelta(hours=2)):
        client.post(url, {"accept": "on"})
    tender.refresh_from_db()
    assert tender.ppk_pact_accepted_at == T0 - timedelta(hours=3)
    assert tender.members.get(user=member).pact_accepted_at == T0 - timedelta(hours=2)
    with pytest.raises(services.TenderError, match="sudah menyetujui"):
        services.accept_pact(tender, by=member)
    with travel(T0):
        services.announce_tender(tender, by=pokja)
    assert AuditEvent.objects.filter(action="tenders.pact_accept").count() == 3 - 1


def test_actions_include_offers_each_visitor_their_tender_pages_BID_1(
    rf, tender, pokja, company, head
):
    """The public detail page includes tenders/includes/actions.html with tender, user, request."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    def render(user):
        request = rf.get("/")
        request.user = user
        return render_to_string(
            "tenders/includes/actions.html", {"tender": tender, "user": user, "request": request}
        )

    assert render(AnonymousUser()).strip() == ""
    vendor_html = render(company.user)
    assert reverse("tenders:join", args=[tender.code]) in vendor_html
    assert reverse("tenders:questions", args=[tender.code]) in vendor_html
    assert reverse("tenders:manage", args=[tender.code]) not in vendor_html
    committee_html = render(pokja)
    assert reverse("tenders:manage", args=[tender.code]) in committee_html
    assert reverse("tenders:change_request", args=[tender.code]) in committee_html
    assert reverse("tenders:join", args=[tender.code]) not in committee_html
    assert reverse("tenders:change_queue") in render(head)


def test_committee_tender_page_query_count_does_not_grow_with_participants_BID_1(
    client, tender, pokja, company, second_company, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    join(tender, company)
    url = reverse("tenders:manage", args=[tender.code])
    with as_user(client, pokja, during(StageKind.CLARIFICATION)):
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        join(tender, second_company, at=during(StageKind.CLARIFICATION))
        for participant in Participant.objects.filter(tender=tender):
            participation.ask_question(participant, "Pertanyaan?", by=participant.vendor.user)
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = client.get(url).content.decode()
    assert page.count("Pertanyaan?") == 2
