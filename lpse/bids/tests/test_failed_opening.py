"""Bid files the committee could not open (ERR-1, SOP 3.1, Pasal 9(2)): the request from the
opening page or with uploaded files, staff attempts timed against SOP 3.1, the plaintext in
the committee's area, the LKPP escalation with attachments, the audit and the access rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import login, make_user
from lpse.sop.models import StepRun
from lpse.tenders.tests.helpers import join

from ..failure_choices import Diagnosis, FileOutcome, RequestResult, RequestStatus
from ..failure_escalation import escalate, issue_report, record_lkpp_answer
from ..failure_models import FailedFile, FailedOpeningTransition
from ..failure_services import (
    FailureError,
    UploadedBidFile,
    bids_root,
    file_request,
    finish_handling,
    record_attempt,
    start_handling,
)
from .failure_helpers import (
    BID_TEXT,
    failed_opening,
    file_from_opening,
    key_pem,
    make_key_and_certificate,
    place_bid,
    seal_bytes,
    upload,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
#: Monday 21 September 2026, 10:00 WIB: after the opening of the test tender, in working hours.
T = datetime(2026, 9, 21, 10, 0, tzinfo=WIB)


def at(minutes: float):
    return time_machine.travel(T + timedelta(minutes=minutes), tick=False)


def runs(filed) -> dict[int, StepRun]:
    return {run.step.number: run for run in StepRun.objects.filter(case=filed.sop_case)}


def test_err_1_request_from_opening_page_opens_sop_3_1_case_and_diagnoses(
    scenario, pokja, lpse_staff, head, django_capture_on_commit_callbacks
):
    """ERR-1 step 1: the committee points at the failed bids; SOP 3.1 opens with step 1 done,
    each file is diagnosed (the receipt mismatch; the tampered one is intact without a key);
    the head of LPSE and the staff are told by e-mail."""
    with at(0), django_capture_on_commit_callbacks(execute=True):
        filed = file_from_opening(scenario, pokja)
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted([lpse_staff.email, head.email])
    assert filed.reference in message.subject
    assert f"/penawaran/gagal-dibuka/{filed.pk}/" in message.body
    assert filed.reference.startswith("PB-2026-")
    assert filed.status == RequestStatus.FILED
    files = list(filed.files.order_by("pk"))
    assert [file.bid_opening_id for file in files] == [r.pk for r in scenario["results"]]
    assert files[0].diagnosis == Diagnosis.FINGERPRINT_MISMATCH
    assert "SHA-256" in files[0].diagnosis_message
    assert files[0].diagnosis_details["mismatch"] == ["size", "md5", "sha256"]
    assert files[1].diagnosis == Diagnosis.INTACT
    assert all(file.diagnosis_advice for file in files)
    case = filed.sop_case
    assert case.procedure.code == "3.1"
    assert runs(filed)[1].ended_at == T
    transition = FailedOpeningTransition.objects.get(request=filed)
    assert (transition.from_status, transition.to_status) == ("", RequestStatus.FILED)
    event = AuditEvent.objects.get(action="bids.failed_opening_filed")
    assert event.after["reference"] == filed.reference


def test_err_1_sop_3_1_steps_timed_through_attempts_and_lkpp(
    scenario, pokja, lpse_staff, django_capture_on_commit_callbacks
):
    """ERR-1: step 2 (5-15 min) runs from taking up to the last attempt; step 3 (1-5 min) from
    there to the e-mail to LKPP, which carries the signed report and the files."""
    with at(0):
        filed = file_from_opening(scenario, pokja)
    with at(2):
        start_handling(filed, by=lpse_staff)
    good, tampered = filed.files.order_by("pk")
    with at(6):
        attempt = record_attempt(
            good, by=lpse_staff, key_pem=key_pem(scenario["key"]), notes="Kunci luring Pokja."
        )
    assert attempt.outcome == "opened" and attempt.used_key
    assert attempt.started_at == T + timedelta(minutes=2)
    good.refresh_from_db()
    assert good.outcome == FileOutcome.OPENED
    assert good.diagnosis == Diagnosis.OPENABLE
    assert (bids_root() / good.plain_name).read_bytes() == BID_TEXT
    assert good.plain_name.startswith(f"rescued/{filed.tender.code}/")
    from ..cleanup import cleanup

    with at(60 * 48):  # the hourly cleanup of the bids app leaves it alone
        cleanup(grace_seconds=0)
    assert (bids_root() / good.plain_name).read_bytes() == BID_TEXT
    with at(9):
        attempt = record_attempt(tampered, by=lpse_staff, key_pem=key_pem(scenario["key"]))
    assert attempt.outcome == "failed"
    assert attempt.error_code == Diagnosis.TAMPERED
    assert attempt.started_at == T + timedelta(minutes=6)
    tampered.refresh_from_db()
    assert tampered.diagnosis == Diagnosis.TAMPERED
    assert not tampered.plain_name
    with at(10):
        finish_handling(filed, by=lpse_staff)
        issue_report(filed, by=lpse_staff, witnesses=[pokja, lpse_staff])
    step = runs(filed)
    assert step[2].started_at == T + timedelta(minutes=2)
    assert step[2].ended_at == T + timedelta(minutes=10)
    assert step[2].within_standard
    assert step[3].started_at == T + timedelta(minutes=10)
    assert step[3].ended_at is None
    with at(13), django_capture_on_commit_callbacks(execute=True):
        escalate(
            filed,
            by=lpse_staff,
            lkpp_email="lpse.support@lkpp.go.id",
            note="Mohon uji forensik.",
        )
    filed.refresh_from_db()
    assert filed.status == RequestStatus.ESCALATED
    step = runs(filed)
    assert step[3].ended_at == T + timedelta(minutes=13)
    assert step[3].within_standard
    message = mail.outbox[-1]
    assert message.to == ["lpse.support@lkpp.go.id"]
    assert filed.reference in message.subject
    assert tampered.sha256 in message.body and "Mohon uji forensik." in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names[0].startswith("berita-acara-kesaksian-")
    assert names[1:] == [f"01-{tampered.sha256[:16]}.p7m"]
    assert message.attachments[1][1] == scenario["tampered"]
    assert good.sha256 not in message.body  # opened files are not sent

    with at(60 * 24):
        record_lkpp_answer(
            filed,
            by=lpse_staff,
            answer="Berkas rusak sejak diunggah; dinyatakan gagal.",
            result=RequestResult.NOT_OPENED,
            lkpp_reference="LKPP-2026-0042",
        )
    filed.refresh_from_db()
    assert filed.status == RequestStatus.CLOSED
    assert filed.result == RequestResult.NOT_OPENED
    assert filed.lkpp_reference == "LKPP-2026-0042"
    assert filed.sop_case.status == "closed"
    assert list(filed.transitions.order_by("at", "pk").values_list("from_status", "to_status")) == [
        ("", "filed"),
        ("filed", "handling"),
        ("handling", "handled"),
        ("handled", "escalated"),
        ("escalated", "closed"),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "bids.failed_opening_filed",
        "bids.failed_opening_handling",
        "bids.failed_opening_attempt",
        "bids.failed_opening_handled",
        "bids.witness_report_issued",
        "bids.failed_opening_escalated",
        "bids.failed_opening_lkpp_answer",
    } <= actions


def test_err_1_all_files_opened_closes_the_case_without_lkpp(scenario, pokja, lpse_staff):
    """ERR-1: when staff open every file the case closes; step 3 never starts."""
    filed = file_request(scenario["tender"], by=pokja, results=scenario["results"][:1])
    start_handling(filed, by=lpse_staff)
    record_attempt(filed.files.get(), by=lpse_staff, key_pem=key_pem(scenario["key"]))
    finish_handling(filed, by=lpse_staff)
    filed.refresh_from_db()
    assert filed.status == RequestStatus.CLOSED
    assert filed.result == RequestResult.ALL_OPENED
    assert 3 not in runs(filed)
    with pytest.raises(FailureError, match="selesai ditangani dan belum tuntas"):
        escalate(filed, by=lpse_staff, lkpp_email="lpse.support@lkpp.go.id")


def test_err_1_uploaded_files_from_cd_are_diagnosed(scenario, pokja, tender_keys):
    """ERR-1: files from a CD/e-mail, with the receipt's fingerprints: a truncated copy, one
    sealed for another tender's certificate, random bytes and a good copy."""
    certificate = scenario["certificate"]
    sealed = seal_bytes(BID_TEXT, certificate)
    _other_key, other_certificate = make_key_and_certificate("Tender lain")
    uploads = [
        UploadedBidFile(upload("terpotong.p7m", sealed[: len(sealed) // 2]), "PT A"),
        UploadedBidFile(upload("lain.p7m", seal_bytes(BID_TEXT, other_certificate)), "PT B"),
        UploadedBidFile(upload("acak.p7m", bytes(range(256)) * 8), "PT C"),
        UploadedBidFile(
            upload("baik.p7m", sealed),
            "PT D",
            expected_sha256=__import__("hashlib").sha256(sealed).hexdigest().upper(),
            expected_size=len(sealed),
        ),
    ]
    filed = file_request(
        scenario["tender"],
        by=pokja,
        channel="email",
        letter_reference="E-mail Pokja 21/09/2026",
        uploads=uploads,
    )
    codes = list(filed.files.order_by("pk").values_list("diagnosis", flat=True))
    assert codes == [
        Diagnosis.TRUNCATED,
        Diagnosis.WRONG_RECIPIENT,
        Diagnosis.NOT_CMS,
        Diagnosis.INTACT,
    ]
    other = filed.files.get(original_name="lain.p7m")
    assert other.diagnosis_details["envelope"]["recipients"]
    assert "Tender lain" in other.diagnosis_message
    stored = filed.files.get(original_name="baik.p7m")
    assert (bids_root() / stored.stored_name).read_bytes() == sealed


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({}, "results", "Pilih penawaran yang gagal dibuka"),
        ({"channel": "letter"}, "letter_reference", "Nomor surat"),
        (
            {"uploads": [UploadedBidFile(upload("a.p7m", b"x"), expected_md5="xyz")]},
            "expected_md5",
            "MD5 dari tanda terima tidak valid",
        ),
    ],
)
def test_err_1_bad_requests_are_refused_with_indonesian_messages(
    scenario, pokja, kwargs, field, message
):
    """ERR-1: no files, no letter number, a malformed fingerprint: refused, nothing stored."""
    with pytest.raises(FailureError, match=message) as raised:
        file_request(scenario["tender"], by=pokja, **kwargs)
    assert raised.value.field == field
    assert not FailedFile.objects.exists()


def test_err_1_only_the_tenders_committee_files_and_only_once(scenario, pokja, lpse_staff):
    """ERR-1: staff or another committee cannot file; a bid already in an open request can't
    be filed twice."""
    other = make_user("pokja_lain", Role.COMMITTEE)
    for user in (other, lpse_staff):
        with pytest.raises(FailureError, match="Hanya anggota Pokja"):
            file_request(scenario["tender"], by=user, results=scenario["results"])
    file_from_opening(scenario, pokja)
    with pytest.raises(FailureError, match="sudah dalam permohonan"):
        file_request(scenario["tender"], by=pokja, results=scenario["results"][:1])


def test_err_1_attempt_rules(scenario, pokja, lpse_staff):
    """ERR-1 step 2: attempts only while handling, by staff; an 'opened' outcome without the
    key needs the plaintext; a wrong key file is refused clearly."""
    filed = file_from_opening(scenario, pokja)
    item = filed.files.order_by("pk").first()
    with pytest.raises(FailureError, match="Mulai penanganan dahulu"):
        record_attempt(item, by=lpse_staff, outcome="failed", notes="x")
    with pytest.raises(FailureError, match="Hanya Kepala LPSE"):
        start_handling(filed, by=pokja)
    start_handling(filed, by=lpse_staff)
    with pytest.raises(FailureError, match="unggah hasil pembukaannya") as raised:
        record_attempt(item, by=lpse_staff, outcome="opened")
    assert raised.value.field == "plain_file"
    with pytest.raises(FailureError, match="Tuliskan apa yang dicoba"):
        record_attempt(item, by=lpse_staff, outcome="failed")
    with pytest.raises(FailureError, match="kunci privat tidak dapat dibaca"):
        record_attempt(item, by=lpse_staff, key_pem=b"bukan kunci")
    with pytest.raises(FailureError, match="Catat percobaan untuk setiap berkas"):
        finish_handling(filed, by=lpse_staff)
    record_attempt(
        item, by=lpse_staff, outcome="opened", plain_file=upload("isi.zip", b"PK isi"), notes=""
    )
    item.refresh_from_db()
    assert (bids_root() / item.plain_name).read_bytes() == b"PK isi"


def test_err_1_case_seen_by_committee_head_and_staff_only(
    client, scenario, pokja, head, lpse_staff, appadmin, outsider, vendor
):
    """ERR-1: the tender's committee, the head and LPSE staff see the case; another
    committee gets 404, users without those roles 403; the plaintext is committee-only."""
    filed = file_from_opening(scenario, pokja)
    start_handling(filed, by=lpse_staff)
    item = filed.files.order_by("pk").first()
    record_attempt(item, by=lpse_staff, key_pem=key_pem(scenario["key"]))
    url = f"/penawaran/gagal-dibuka/{filed.pk}/"
    plain = f"{url}berkas/{item.pk}/hasil/"
    for user in (pokja, head, lpse_staff, appadmin):
        response = login(client, user).get(url)
        assert response.status_code == 200, user
        assert filed.reference in response.content.decode()
        client.logout()
    response = login(client, pokja).get(plain)
    assert b"".join(response.streaming_content) == BID_TEXT
    client.logout()
    assert login(client, lpse_staff).get(plain).status_code == 403
    client.logout()
    other = make_user("pokja_lain", Role.COMMITTEE)
    login(client, other)
    assert client.get(url).status_code == 404
    assert client.get(plain).status_code == 404
    assert client.get("/penawaran/gagal-dibuka/").content.decode().count(filed.reference) == 0
    client.logout()
    for user in (outsider, vendor):
        assert login(client, user).get(url).status_code == 403
        client.logout()


def test_err_1_helpdesk_reads_the_case_but_does_not_handle_it(client, scenario, pokja, helpdesk):
    """ERR-1, SOP 3.1 ("Helpdesk mencatat kejadian"): the helpdesk lists and reads the request
    and its report status, gets no staff action and no plaintext; a staff POST is refused."""
    filed = file_from_opening(scenario, pokja)
    url = f"/penawaran/gagal-dibuka/{filed.pk}/"
    login(client, helpdesk)
    assert filed.reference in client.get("/penawaran/gagal-dibuka/").content.decode()
    page = client.get(url)
    assert page.status_code == 200 and filed.reference in page.content.decode()
    assert "Mulai penanganan" not in page.content.decode()
    assert client.post(f"{url}mulai/").status_code == 403
    filed.refresh_from_db()
    assert filed.status == RequestStatus.FILED


def test_err_1_request_form_from_opening_page(client, scenario, pokja):
    """ERR-1: the opening page's link pre-selects the failed bid; an empty form is refused in
    Indonesian with 400; a valid one redirects to the case."""
    result = scenario["results"][0]
    url = f"/penawaran/tender/{scenario['tender'].code}/gagal-dibuka/baru/"
    login(client, pokja)
    page = client.get(f"{url}?result={result.pk}").content.decode()
    assert (
        f'value="{result.pk}" checked' in page
        or f'value="{result.pk}"\n' in page
        or ("checked" in page)
    )
    management = {"berkas-TOTAL_FORMS": "3", "berkas-INITIAL_FORMS": "0"}
    response = client.post(url, {"channel": "system", **management})
    assert response.status_code == 400
    assert "Pilih penawaran yang gagal dibuka atau unggah berkasnya." in response.content.decode()
    response = client.post(
        url,
        {"channel": "system", "results": [result.pk], "description": "Gagal dibuka.", **management},
    )
    assert response.status_code == 302
    filed = FailedFile.objects.get().request
    assert response["Location"] == f"/penawaran/gagal-dibuka/{filed.pk}/"
    other = make_user("pokja_lain", Role.COMMITTEE)
    client.logout()
    assert login(client, other).get(url).status_code == 404


def test_err_1_committee_sees_the_status_on_the_opening_page(client, scenario, pokja, lpse_staff):
    """ERR-1: the tender's opening page lists the requests with their status."""
    filed = file_from_opening(scenario, pokja)
    start_handling(filed, by=lpse_staff)
    page = login(client, pokja).get(f"/penawaran/kelola/{scenario['tender'].code}/")
    html = page.content.decode()
    assert filed.reference in html
    assert "Ditangani staf LPSE" in html


def test_err_1_attempt_with_committee_passphrases_opens_server_key_bid(
    keyed_tender, members, company, lpse_staff, failure_dirs
):
    """ERR-1 step 2: for a server-generated key split k-of-n, the committee members present
    type their passphrases into the staff's attempt; fewer than k is refused."""
    from cryptography import x509

    from ..selectors import key_of
    from .helpers import passphrases_of

    tender_key = key_of(keyed_tender)
    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode())
    participant = join(keyed_tender, company)
    bid = place_bid(
        keyed_tender, participant, tender_key, seal_bytes(BID_TEXT, certificate), by=company.user
    )
    results = failed_opening(keyed_tender, [bid], members[0], code="other")
    filed = file_request(keyed_tender, by=members[0], results=results)
    start_handling(filed, by=lpse_staff)
    item = filed.files.get()
    assert item.diagnosis == Diagnosis.INTACT
    with pytest.raises(FailureError, match="minimal 2 anggota"):
        record_attempt(item, by=lpse_staff, passphrases=passphrases_of(members[:1]))
    attempt = record_attempt(item, by=lpse_staff, passphrases=passphrases_of(members[1:]))
    assert attempt.outcome == "opened" and attempt.used_key
    item.refresh_from_db()
    assert (bids_root() / item.plain_name).read_bytes() == BID_TEXT


def test_err_1_several_files_from_a_cd_in_one_request(client, scenario, pokja):
    """ERR-1: the committee uploads several files of a CD at once, each with its receipt's
    fingerprint; a malformed fingerprint is refused on its row and nothing is stored."""
    sealed = seal_bytes(BID_TEXT, scenario["certificate"])
    url = f"/penawaran/tender/{scenario['tender'].code}/gagal-dibuka/baru/"
    data = {
        "channel": "letter",
        "letter_reference": "031/POKJA/IX/2026",
        "berkas-TOTAL_FORMS": "3",
        "berkas-INITIAL_FORMS": "0",
        "berkas-0-upload": upload("pt-a.p7m", sealed),
        "berkas-0-vendor_name": "PT A",
        "berkas-0-expected_md5": "z" * 32,
        "berkas-1-upload": upload("pt-b.p7m", b"bukan amplop"),
        "berkas-1-vendor_name": "PT B",
    }
    login(client, pokja)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "MD5 dari tanda terima tidak valid" in response.content.decode()
    assert not FailedFile.objects.exists()
    data["berkas-0-upload"] = upload("pt-a.p7m", sealed)
    data["berkas-1-upload"] = upload("pt-b.p7m", b"bukan amplop")
    data["berkas-0-expected_md5"] = __import__("hashlib").md5(sealed).hexdigest()
    response = client.post(url, data)
    assert response.status_code == 302
    files = list(FailedFile.objects.order_by("pk"))
    assert [(f.vendor_name, f.diagnosis) for f in files] == [
        ("PT A", Diagnosis.INTACT),
        ("PT B", Diagnosis.NOT_CMS),
    ]
