"""TRN-3: reply and assignment letters as numbered PDFs, sent by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.core.numbering import next_number
from lpse.core.pdf import indonesian_date
from lpse.training import services
from lpse.training.choices import LetterKind, RequestStatus
from lpse.training.models import Letter

from .conftest import confirmed, file, scheduled

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")


@pytest.fixture
def planned(agency_admin, helpdesk, room, server, trainer):
    training = confirmed(file(agency_admin), helpdesk)
    scheduled(training, helpdesk, room=room, server=server, trainer=trainer)
    return training


def pdf_text(letter) -> bytes:
    from lpse.training.letters import path_of

    return path_of(letter.stored_name).read_bytes()


def test_indonesian_dates_on_letters():
    from datetime import date

    assert indonesian_date(date(2026, 12, 9)) == "9 Desember 2026"
    assert indonesian_date(date(2026, 8, 17), weekday=True) == "Senin, 17 Agustus 2026"


def test_reply_letter_pdf_has_letterhead_number_date_and_head_TRN_3(
    planned, helpdesk, head_named, client, django_capture_on_commit_callbacks
):
    login(client, helpdesk)
    response = client.post(reverse("training:letter_issue", args=[planned.pk, "reply"]))
    assert response.status_code == 302
    letter = Letter.objects.get(kind=LetterKind.REPLY)
    assert letter.number == "001/SJ-PLT/LPSE/2026"
    assert letter.signer_name == "Hendra Gunawan"
    content = pdf_text(letter)
    assert content.startswith(b"%PDF-")
    for text in (
        b"LPSE KABUPATEN TANGERANG",
        b"001/SJ-PLT/LPSE/2026",
        b"7 Desember 2026",
        b"Rabu, 9 Desember 2026",
        b"09.00 - 13.00 WIB",
        b"Ruang Pelatihan LPSE",
        b"Hendra Gunawan",
        b"027/123/DBM/2026",
    ):
        assert text in content, text
    download = client.get(reverse("training:letter_download", args=[letter.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="surat-jawaban-2026-0001.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:letter_send", args=[letter.pk]))
    assert response.status_code == 302
    sent = mail.outbox[-1]
    assert sent.to == ["bambang@dbm.tangerangkab.go.id"]
    assert "001/SJ-PLT/LPSE/2026" in sent.subject
    assert sent.attachments[0][0] == "surat-jawaban-2026-0001.pdf"
    assert sent.attachments[0][1] == content
    planned.refresh_from_db()
    assert planned.status == RequestStatus.REPLIED
    assert AuditEvent.objects.filter(action="training.letter_send").count() == 1


def test_assignment_letter_goes_to_the_trainer_TRN_3(
    planned, helpdesk, trainer, django_capture_on_commit_callbacks
):
    reply = services.issue_letter(planned, LetterKind.REPLY, by=helpdesk)
    with pytest.raises(services.TrainingError, match="tidak berlaku"):
        services.issue_letter(planned, LetterKind.ASSIGNMENT, by=helpdesk)
    services.send_letter(reply, by=helpdesk)
    assignment = services.issue_letter(planned, LetterKind.ASSIGNMENT, by=helpdesk)
    assert assignment.number == "001/ST-PLT/LPSE/2026"
    content = pdf_text(assignment)
    assert b"SURAT TUGAS" in content and b"Yudi Hermawan" in content
    assert b"(......................................." in content  # no head named: wet signature
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letter(assignment, by=helpdesk)
    assert mail.outbox[-1].to == [trainer.email]
    planned.refresh_from_db()
    assert planned.status == RequestStatus.ASSIGNED
    with pytest.raises(services.TrainingError, match="sudah dikirim"):
        services.send_letter(assignment, by=helpdesk)


def test_numbers_run_per_series_and_restart_each_year_TRN_3(db):
    from django.db import transaction

    with transaction.atomic():
        assert [next_number("training.reply", 2026) for _ in range(3)] == [1, 2, 3]
        assert next_number("training.assignment", 2026) == 1
        assert next_number("training.reply", 2027) == 1


def test_number_given_back_when_the_letter_is_rolled_back_TRN_3(
    planned, helpdesk, agency_admin, room, server, trainer, settings
):
    settings.LPSE_TRAINING_REPLY_NUMBER = "{seq:03d}/SJ/{year}"
    other = confirmed(file(agency_admin), helpdesk)
    with pytest.raises(services.TrainingError):
        services.issue_letter(other, LetterKind.REPLY, by=helpdesk)  # not scheduled yet
    letter = services.issue_letter(planned, LetterKind.REPLY, by=helpdesk)
    assert letter.number == "001/SJ/2026"


def test_letter_of_another_work_unit_is_not_found(planned, helpdesk, other_unit, client):
    from lpse.conftest import make_user

    letter = services.issue_letter(planned, LetterKind.REPLY, by=helpdesk)
    stranger = make_user("admin_lain", "agency_admin", work_unit=other_unit)
    login(client, stranger)
    assert client.get(reverse("training:letter_download", args=[letter.pk])).status_code == 404
    login(client, planned.requested_by)
    assert client.get(reverse("training:letter_download", args=[letter.pk])).status_code == 200
    assert client.post(reverse("training:letter_send", args=[letter.pk])).status_code == 403


def test_letter_stays_indonesian_when_the_officer_reads_english_TRN_3(planned, helpdesk):
    from django.utils import translation

    with translation.override("en"):
        letter = services.issue_letter(planned, LetterKind.REPLY, by=helpdesk)
    content = pdf_text(letter)
    assert b"Penyedia" in content and b"Vendors" not in content
    assert b"Halaman 1 dari 1" in content
