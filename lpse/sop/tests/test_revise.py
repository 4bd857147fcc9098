"""SOP-1: the head of LPSE revises a procedure; revisions are kept with full snapshots.

Also SEC-1 (only the head may edit) and AUD-1 (each revision is an audit event).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.sop.forms import StepForm
from lpse.sop.models import Procedure, ProcedureRevision
from lpse.sop.services import open_case, start_step

pytestmark = pytest.mark.django_db


def edit_data(procedure: Procedure, **header) -> dict:
    """The edit form as the page fills it for `procedure`, with `header` fields changed."""
    from lpse.sop import content as docs
    from lpse.sop.forms import ProcedureForm

    content = docs.procedure_content(procedure)
    data = {}
    for name, value in ProcedureForm.initial_from(content).items():
        data[name] = "" if value is None else value
    data.update(header)
    data.setdefault("revision_note", "")
    steps = content["steps"]
    data |= {
        "langkah-TOTAL_FORMS": str(len(steps) + 1),
        "langkah-INITIAL_FORMS": str(len(steps)),
        "langkah-MIN_NUM_FORMS": "0",
        "langkah-MAX_NUM_FORMS": "1000",
    }
    for index, step in enumerate(steps):
        for name, value in StepForm.initial_from(step).items():
            data[f"langkah-{index}-{name}"] = value
    return data


def test_sop1_head_revision_creates_revision_2_with_snapshot_and_audit_event(
    client, registry, head
):
    login(client, head)
    url = reverse("sop:edit", args=["1.1"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Catatan revisi" in page.content.decode()

    procedure = Procedure.objects.get(code="1.1")
    data = edit_data(
        procedure,
        number="800/01-LPSE/2026",
        revision_note="Waktu verifikasi disesuaikan dengan antrean 2026.",
    )
    data["langkah-8-time_text"] = "15 - 45 menit"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("sop:detail", args=["1.1"])

    procedure.refresh_from_db()
    assert procedure.revision == 2
    assert procedure.number == "800/01-LPSE/2026"
    assert procedure.updated_by == head
    step9 = procedure.steps.get(number=9)
    assert step9.time_text == "15 - 45 menit"
    assert step9.standard_max == timedelta(minutes=45)

    revision = ProcedureRevision.objects.get(procedure=procedure, number=2)
    assert revision.created_by == head
    assert revision.note == "Waktu verifikasi disesuaikan dengan antrean 2026."
    assert revision.content["number"] == "800/01-LPSE/2026"
    assert revision.content["steps"][8]["time"] == "15 - 45 menit"
    assert len(revision.content["steps"]) == 9
    # Revision 1 still holds the appendix text.
    first = ProcedureRevision.objects.get(procedure=procedure, number=1)
    assert first.content["steps"][8]["time"] == "15 \u2013 30 menit"

    event = AuditEvent.objects.get(action="sop.revise")
    assert event.actor == head
    assert event.target_id == str(procedure.pk)
    assert event.before == {
        "number": "",
        "steps.9.time": "15 \u2013 30 menit",
        "revision": 1,
    }
    assert event.after == {
        "number": "800/01-LPSE/2026",
        "steps.9.time": "15 - 45 menit",
        "revision": 2,
    }

    detail = client.get(response.url).content.decode()
    assert "maks. 45 menit" in detail
    assert "disimpan sebagai revisi 2" in detail


def test_sop1_revision_history_shows_who_when_note_and_the_changes(
    client, registry, head, django_assert_max_num_queries
):
    head.first_name, head.last_name = "Siti", "Rahmawati"
    head.save()
    login(client, head)
    procedure = Procedure.objects.get(code="3.5")
    data = edit_data(procedure, revision_note="Judul disesuaikan.")
    data["title"] = "Prosedur Perubahan Jadwal Pengadaan (revisi)"
    assert client.post(reverse("sop:edit", args=["3.5"]), data).status_code == 302

    client.logout()
    with django_assert_max_num_queries(5):
        response = client.get(reverse("sop:revisions", args=["3.5"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revisi 2" in html and "Revisi 1" in html
    assert "Siti Rahmawati" in html
    assert "Judul disesuaikan." in html
    assert "Prosedur Perubahan Jadwal Pengadaan (revisi)" in html
    history = response.context["history"]
    assert [item.revision.number for item in history] == [2, 1]
    assert [change.key for change in history[0].changes] == ["title"]
    assert history[1].changes == []


@pytest.mark.parametrize("actor", ["verifier", "appadmin", "helpdesk", "vendor", "outsider"])
def test_sec1_only_the_head_may_edit_a_procedure(client, registry, actor, request):
    user = request.getfixturevalue(actor)
    login(client, user)
    url = reverse("sop:edit", args=["1.1"])
    assert client.get(url).status_code == 403
    data = edit_data(Procedure.objects.get(code="1.1"), title="x", revision_note="coba")
    assert client.post(url, data).status_code == 403
    assert Procedure.objects.get(code="1.1").revision == 1


def test_sec1_anonymous_visitor_is_sent_to_login_for_editing(client, registry):
    response = client.get(reverse("sop:edit", args=["1.1"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_sop1_unparseable_time_shows_the_indonesian_error_at_the_field_and_changes_nothing(
    client, registry, head
):
    login(client, head)
    procedure = Procedure.objects.get(code="1.1")
    events = AuditEvent.objects.count()
    data = edit_data(procedure, revision_note="Ubah waktu langkah 9.")
    data["langkah-8-time_text"] = "kira-kira sebentar"
    data["title"] = "Judul baru yang tidak boleh tersimpan"
    response = client.post(reverse("sop:edit", args=["1.1"]), data)
    assert response.status_code == 400
    step_form = response.context["formset"].forms[8]
    assert step_form.errors["time_text"] == [
        "Waktu 'kira-kira sebentar' tidak dikenali sebagai standar waktu. "
        "Tulis waktu seperti contoh di bawah."
    ]
    html = response.content.decode()
    assert 'id="id_langkah-8-time_text_errors"' in html
    assert "tidak dikenali sebagai standar waktu" in html
    procedure.refresh_from_db()
    assert procedure.revision == 1
    assert procedure.title != "Judul baru yang tidak boleh tersimpan"
    assert procedure.steps.get(number=9).time_text == "15 \u2013 30 menit"
    assert ProcedureRevision.objects.filter(procedure=procedure).count() == 1
    assert AuditEvent.objects.count() == events


def test_sop1_revision_note_is_mandatory(client, registry, head):
    login(client, head)
    procedure = Procedure.objects.get(code="2.1")
    data = edit_data(procedure, title="Judul lain", revision_note="  ")
    response = client.post(reverse("sop:edit", args=["2.1"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["revision_note"] == ["Catatan revisi wajib diisi."]
    assert Procedure.objects.get(code="2.1").revision == 1


def test_sop1_saving_without_any_change_makes_no_revision(client, registry, head):
    login(client, head)
    data = edit_data(Procedure.objects.get(code="2.1"), revision_note="Tidak ada perubahan")
    response = client.post(reverse("sop:edit", args=["2.1"]), data)
    assert response.status_code == 400
    assert "Tidak ada perubahan untuk disimpan." in response.content.decode()
    assert Procedure.objects.get(code="2.1").revision == 1


def test_sop1_head_adds_a_step_and_cannot_delete_one_a_case_has_used(client, registry, head):
    login(client, head)
    procedure = Procedure.objects.get(code="3.3")
    url = reverse("sop:edit", args=["3.3"])
    data = edit_data(procedure, revision_note="Langkah pemberitahuan ditambahkan.")
    data |= {
        "langkah-3-description": "Administrator memberi tahu alamat e-mail lama dan baru.",
        "langkah-3-executor_1": "Administrator SPSE",
        "langkah-3-time_text": "5 menit",
    }
    assert client.post(url, data).status_code == 302
    procedure.refresh_from_db()
    assert procedure.revision == 2
    new = procedure.steps.get(number=4)
    assert new.executors == ["Administrator SPSE"]
    assert new.standard_max == timedelta(minutes=5)

    case = open_case("3.3", subject=head, by=head, title="Perubahan e-mail PT Contoh")
    start_step(case, 1, by=head)
    data = edit_data(procedure, revision_note="Langkah 1 dihapus.")
    data["langkah-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Langkah 1 sudah dipakai dalam kasus dan tidak dapat dihapus." in (
        response.content.decode()
    )
    procedure.refresh_from_db()
    assert procedure.revision == 2
    assert procedure.steps.filter(number=1).exists()
