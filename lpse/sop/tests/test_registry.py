"""SOP-1: the registry loaded from the appendix data files, listed and shown as the appendix."""

from __future__ import annotations

import shutil
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.sop import content as docs
from lpse.sop.models import Procedure, ProcedureRevision, Step
from lpse.sop.services import DATA_DIR
from lpse.sop.standards import StandardKind

from .test_data import STEP_COUNTS


def run_load(*args) -> str:
    out = StringIO()
    call_command("load_sops", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_sop1_load_sops_loads_all_nine_procedures_with_their_steps_as_revision_1():
    output = run_load()
    assert "9 baru" in output
    counts = {p.code: p.steps.count() for p in Procedure.objects.all()}
    assert counts == STEP_COUNTS
    for procedure in Procedure.objects.all():
        assert procedure.revision == 1
        revision = procedure.revisions.get()
        assert revision.number == 1
        assert revision.created_by is None
        assert revision.content == docs.procedure_content(procedure)
        assert len(revision.content["steps"]) == STEP_COUNTS[procedure.code]
    assert AuditEvent.objects.filter(action="sop.load").count() == 9


@pytest.mark.django_db
def test_sop1_loaded_steps_keep_the_appendix_text_and_their_parsed_time_standard():
    run_load()
    procedure = Procedure.objects.get(code="1.1")
    assert procedure.legal_basis[0].startswith("Undang-Undang Nomor 11 Tahun 2008")
    assert procedure.related_codes == ["2.3", "2.1"]
    assert procedure.appendix_date.isoformat() == "2011-11-24"
    step7 = procedure.steps.get(number=7)
    assert step7.time_text == "7 (tujuh) hari kerja"
    assert step7.standard_kind == StandardKind.WORKING_DAYS
    assert step7.standard_max == timedelta(days=7)
    assert step7.standard_working is True
    step9 = procedure.steps.get(number=9)
    assert step9.executors == ["Verifikator", "Rekanan"]
    assert (step9.standard_kind, step9.standard_min, step9.standard_max) == (
        StandardKind.DURATION,
        timedelta(minutes=15),
        timedelta(minutes=30),
    )
    assert step9.standard_working is False
    step8 = procedure.steps.get(number=8)
    assert step8.standard_kind == StandardKind.WORKING_HOURS
    assert step8.standard_hours == "09:00-15:00"
    # Queries can use the stored targets: every step of 5.1 is a 7-working-day step.
    assert (
        Step.objects.filter(procedure__code="5.1", standard_kind=StandardKind.WORKING_DAYS).count()
        == 49
    )


@pytest.mark.django_db
def test_sop1_load_sops_is_idempotent():
    run_load()
    events = AuditEvent.objects.count()
    output = run_load()
    assert "0 baru, 9 tetap" in output
    assert Procedure.objects.count() == 9
    assert ProcedureRevision.objects.count() == 9
    assert Step.objects.count() == sum(STEP_COUNTS.values())
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_sop1_load_sops_reports_drift_and_force_resyncs_an_unrevised_procedure():
    run_load()
    Step.objects.filter(procedure__code="3.3", number=2).update(output="diubah di luar berkas")
    output = run_load()
    assert "SOP 3.3: berbeda dari berkas (1 perubahan)" in output
    assert Step.objects.get(procedure__code="3.3", number=2).output == "diubah di luar berkas"

    output = run_load("--force")
    assert "SOP 3.3: disamakan dengan berkas (1 perubahan)" in output
    step = Step.objects.get(procedure__code="3.3", number=2)
    assert step.output != "diubah di luar berkas"
    assert Procedure.objects.get(code="3.3").revision == 1
    event = AuditEvent.objects.get(action="sop.resync")
    assert event.before == {"steps.2.output": "diubah di luar berkas"}


@pytest.mark.django_db
def test_sop1_load_sops_never_overwrites_a_procedure_the_head_revised(head):
    from lpse.sop.services import revise_procedure

    run_load()
    procedure = Procedure.objects.get(code="2.1")
    data = docs.procedure_content(procedure)
    data["steps"][0]["output"] = "Jawaban tertulis yang memuaskan"
    revise_procedure(procedure, data=data, note="Output diperjelas", by=head)

    output = run_load("--force")
    assert "SOP 2.1: sudah direvisi Kepala LPSE (revisi 2); tidak ditimpa" in output
    procedure.refresh_from_db()
    assert procedure.revision == 2
    assert procedure.steps.get(number=1).output == "Jawaban tertulis yang memuaskan"


@pytest.mark.django_db
def test_sop1_load_sops_refuses_a_file_with_an_unknown_time_and_loads_nothing(tmp_path: Path):
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    target = next(tmp_path.glob("3.5-*.yaml"))
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["steps"][1]["time"] = "secepatnya kalau sempat"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(CommandError, match=r"3\.5-.*step 2.*secepatnya kalau sempat"):
        run_load("--dir", str(tmp_path))
    assert Procedure.objects.count() == 0


@pytest.mark.django_db
def test_sop1_list_groups_the_procedures_by_chapter_with_steps_and_revision(
    client, registry, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("sop:list"))
    assert response.status_code == 200
    chapters = response.context["chapters"]
    assert [chapter for chapter, _title, _items in chapters] == ["I", "II", "III", "V", "VI"]
    codes = [p.code for _c, _t, items in chapters for p in items]
    assert codes == list(STEP_COUNTS)
    by_code = {p.code: p for _c, _t, items in chapters for p in items}
    assert by_code["5.1"].step_count == 49
    html = response.content.decode()
    assert "REGISTRASI DAN VERIFIKASI PENGGUNA SPSE" in html
    assert reverse("sop:detail", args=["3.5"]) in html


@pytest.mark.django_db
def test_sop1_detail_shows_the_header_fields_and_the_flow_table_like_the_appendix(
    client, registry, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("sop:detail", args=["1.1"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Dasar Hukum",
        "Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik.",
        "Peringatan",
        "E-mail perusahaan yang didaftarkan pada LPSE harus e-mail yang diketahui password nya",
        "Kualifikasi Pelaksana",
        "Pelaksana menguasai aplikasi LPSE secara umum",
        "Pencatatan dan Pendataan",
        "Alat tulis, komputer, jaringan internet.",
        '<th scope="col" rowspan="2">No</th>',
        "Uraian Kegiatan",
        "Pelaksana",
        "Persyaratan/Kelengkapan",
        "Verifikator memeriksa dokumen perusahaan yang dibawa rekanan.",
        "15 \u2013 30 menit",  # the appendix's en dash
        "Setiap hari kerja pukul 09.00-15.00 WIB",
        "maks. 30 menit",
        "7 hari kerja",
        "hari kerja yang sama, sampai pukul 15.00",
        "Peraturan Bupati Tangerang Nomor 40 Tahun 2011",
    ):
        assert text in html, text
    # Related SOPs link to their pages; no edit link for the public.
    assert reverse("sop:detail", args=["2.3"]) in html
    assert reverse("sop:edit", args=["1.1"]) not in html


@pytest.mark.django_db
def test_sop1_detail_of_lampiran_v_shows_item_numbers_and_group_titles(client, registry):
    html = client.get(reverse("sop:detail", args=["5.1"])).content.decode()
    assert "1.a.1" in html
    group = "Pengawasan terhadap Perangkat Lunak (Software) \u203a Aplikasi SPSE"
    assert html.count(group) == 1  # one group row above its three items


@pytest.mark.django_db
def test_sop1_unknown_procedure_is_404(client, registry):
    assert client.get(reverse("sop:detail", args=["9.9"])).status_code == 404
    assert client.get(reverse("sop:revisions", args=["9.9"])).status_code == 404


@pytest.mark.django_db
def test_sop1_admin_shows_procedures_read_only(client, registry):
    """Revisions go through the head's page (snapshot + audit), never through the admin."""
    from lpse.conftest import make_user

    admin_user = make_user("super", is_superuser=True, is_staff=True)
    login(client, admin_user)
    procedure = Procedure.objects.get(code="1.1")
    url = reverse("admin:sop_procedure_change", args=[procedure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert client.post(url, {"title": "diubah"}).status_code == 403
    assert client.get(reverse("admin:sop_procedure_add")).status_code == 403
    procedure.refresh_from_db()
    assert procedure.title != "diubah"
