"""TRN-1: a work unit (SKPD) files a training request with its letter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.sop.models import StepRun
from lpse.training.choices import RequestStatus
from lpse.training.models import Participant, TrainingRequest

from .conftest import EXE, file, letter_upload

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")


def form_data(**extra):
    data = {
        "audience": "agency",
        "letter_number": "005/77/DBM/XII/2026",
        "letter_date": "2026-12-01",
        "letter_text": "",
        "wanted_date": "2026-12-14",
        "wanted_date_alt": "2026-12-15",
        "participant_count": "3",
        "participant_names": "Iwan Kurniawan\nSri Wahyuni\n",
        "contact_name": "Bambang Susilo",
        "contact_phone": "0812-1111-2222",
        "contact_email": "bambang@dbm.tangerangkab.go.id",
    }
    data.update(extra)
    return data


def test_agency_admin_files_request_with_uploaded_letter_TRN_1(client, agency_admin):
    login(client, agency_admin)
    response = client.post(
        reverse("training:new"), form_data(letter_file=letter_upload("Surat Permohonan.pdf"))
    )
    training = TrainingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:detail", args=[training.pk])
    assert training.work_unit == agency_admin.work_unit
    assert training.status == RequestStatus.SUBMITTED
    assert training.letter_mime == "application/pdf" and len(training.letter_sha256) == 64
    assert list(Participant.objects.values_list("name", flat=True)) == [
        "Iwan Kurniawan",
        "Sri Wahyuni",
    ]
    assert training.sop_case.procedure.code == "2.3"
    run = StepRun.objects.get(case=training.sop_case)
    assert run.step.number == 1 and run.ended_at is None
    assert AuditEvent.objects.filter(action="training.request_file").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Admin Agency, PPK dan Panitia" in page and "Surat Permohonan.pdf" in page
    download = client.get(reverse("training:request_letter", args=[training.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_ppk_files_request_with_typed_letter_TRN_1(client, ppk):
    login(client, ppk)
    response = client.post(
        reverse("training:new"),
        form_data(audience="vendor", wanted_date="2026-12-09", letter_text="Dengan hormat, ..."),
    )
    assert response.status_code == 302
    training = TrainingRequest.objects.get()
    assert training.letter_text == "Dengan hormat, ..." and not training.has_letter_file


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Unggah surat permohonan atau ketik isinya."),
        ({"letter_file": "exe"}, "Jenis berkas tidak diterima"),
        ({"letter_text": "x", "wanted_date": "2026-12-07"}, "harus setelah hari ini"),
        ({"letter_text": "x", "participant_count": "1"}, "lebih banyak dari jumlah peserta"),
        ({"letter_text": "x", "participant_count": "0"}, "lebih besar dari atau sama dengan 1"),
    ],
)
def test_bad_request_is_refused_with_reason_and_nothing_saved_TRN_1(
    client, agency_admin, extra, message
):
    login(client, agency_admin)
    if extra.get("letter_file") == "exe":
        extra = {"letter_file": letter_upload("surat.pdf", EXE)}
    response = client.post(reverse("training:new"), form_data(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="training.request_file").exists()


def test_only_agency_admin_and_ppk_may_file_TRN_1(client, vendor, committee, helpdesk, outsider):
    for user in (vendor, committee, helpdesk, outsider):
        login(client, user)
        assert client.get(reverse("training:new")).status_code == 403


def test_work_unit_sees_only_its_own_requests_TRN_1(
    client, agency_admin, other_unit, helpdesk, django_assert_max_num_queries
):
    from lpse.conftest import make_user

    mine = file(agency_admin)
    stranger = make_user("admin_dinkes", "agency_admin", work_unit=other_unit)
    theirs = file(stranger, letter_number="440/9/DINKES/2026")
    login(client, agency_admin)
    page = client.get(reverse("training:list")).content.decode()
    assert reverse("training:detail", args=[mine.pk]) in page
    assert reverse("training:detail", args=[theirs.pk]) not in page
    assert client.get(reverse("training:detail", args=[theirs.pk])).status_code == 404
    login(client, helpdesk)
    for n in range(5):
        file(stranger, letter_number=f"440/{n}/DINKES/2026")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:list")).content.decode()
    assert page.count('href="/pelatihan/') >= 7


def test_request_without_work_unit_is_refused(client, db):
    from lpse.conftest import make_user

    lonely = make_user("ppk_tanpa_unit", "ppk")
    login(client, lonely)
    response = client.post(reverse("training:new"), form_data(letter_text="x"))
    assert response.status_code == 400
    assert "tidak terhubung ke satuan kerja" in response.content.decode()
    assert not TrainingRequest.objects.exists()
