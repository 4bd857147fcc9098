"""ERR-3 (SOP 3.5-3.6): the committee files a schedule change with before/after and a reason;
the head of LPSE or an application administrator applies or refuses it; the rules hold,
nothing changes on refusal, joined vendors are e-mailed, the history and audit chain keep it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.audit.chain import verify_chain
from lpse.audit.models import AuditEvent
from lpse.conftest import make_user
from lpse.sop.choices import CaseStatus
from lpse.sop.models import StepRun

from .. import changes
from .. import schedule as rules
from ..choices import ScheduleChangeStatus, StageKind
from ..models import ScheduleChange, Stage
from ..services import ScheduleInvalid, TenderError
from .helpers import T0, as_user, during, join, travel

pytestmark = pytest.mark.django_db


def _current(tender):
    return rules.rows_of(Stage.objects.filter(tender=tender))


def _shift(rows, kinds, *, start=timedelta(0), end=timedelta(0)):
    return [
        rules.Row(r.kind, r.starts_at + start, r.ends_at + end) if r.kind in kinds else r
        for r in rows
    ]


def _later_tail(rows, days=2, from_kind=StageKind.BID_UPLOAD):
    """Extend `from_kind` by `days` and move every later stage by the same."""
    order = StageKind.ORDER
    position = order.index(from_kind)
    moved = []
    for row in rows:
        index = order.index(row.kind)
        if index == position:
            moved.append(rules.Row(row.kind, row.starts_at, row.ends_at + timedelta(days=days)))
        elif index > position:
            moved.append(
                rules.Row(
                    row.kind,
                    row.starts_at + timedelta(days=days),
                    row.ends_at + timedelta(days=days),
                )
            )
        else:
            moved.append(row)
    return moved


def _form_data(rows, reason):
    data = {"reason": reason}
    for row in rows:
        data[f"{row.kind}_start"] = timezone.localtime(row.starts_at).strftime("%Y-%m-%dT%H:%M")
        data[f"{row.kind}_end"] = timezone.localtime(row.ends_at).strftime("%Y-%m-%dT%H:%M")
    return data


@pytest.fixture
def head(db):
    return make_user("kepala", Role.HEAD, first_name="Hendra", last_name="Gunawan")


def test_request_page_prefills_before_and_after_and_reason_is_mandatory_ERR_3(
    client, tender, pokja
):
    url = reverse("tenders:change_request", args=[tender.code])
    with as_user(client, pokja, during(StageKind.DOWNLOAD)):
        page = client.get(url).content.decode()
        assert 'value="2026-09-10T08:00"' in page  # upload start, pre-filled in WIB
        assert "10-09-2026 08:00" in page  # the "before" column
        assert "sudah berakhir" in page  # the announcement stage ended
        response = client.post(url, _form_data(_later_tail(_current(tender)), ""))
    assert response.status_code == 400
    assert "Alasan perubahan jadwal wajib diisi." in response.content.decode()
    assert not ScheduleChange.objects.exists()


@pytest.mark.parametrize(
    ("when", "change", "message"),
    [
        (
            during(StageKind.CLARIFICATION),
            lambda rows: _shift(rows, {StageKind.ANNOUNCEMENT}, start=timedelta(hours=-1)),
            "Tahap Pengumuman sudah berakhir (08-09-2026 08:00 WIB) dan tidak dapat diubah.",
        ),
        (
            during(StageKind.BID_UPLOAD, offset_hours=26),
            lambda rows: _shift(
                rows,
                {StageKind.BID_UPLOAD},
                end=-timedelta(days=5),
            ),
            "Tahap Upload Dokumen Penawaran sedang berjalan dan tidak boleh dipersingkat di "
            "bawah 3 hari kerja: paling cepat selesai 15-09-2026 08:00 WIB.",
        ),
        (
            during(StageKind.BID_UPLOAD, offset_hours=26),
            lambda rows: _shift(rows, {StageKind.BID_UPLOAD}, start=timedelta(hours=2)),
            "Tahap Upload Dokumen Penawaran sudah berjalan sejak 10-09-2026 08:00 WIB; waktu "
            "mulainya tidak dapat diubah.",
        ),
        (
            during(StageKind.DOWNLOAD),
            lambda rows: _shift(
                rows, {StageKind.EVALUATION}, start=-timedelta(days=1), end=-timedelta(days=1)
            ),
            "Urutan tahap salah: Evaluasi Penawaran",
        ),
        (
            during(StageKind.DOWNLOAD),
            lambda rows: _shift(rows, {StageKind.CLARIFICATION}, start=-timedelta(days=2)),
            "tidak boleh dipindah ke waktu yang sudah lewat",
        ),
        (
            during(StageKind.DOWNLOAD),
            lambda rows: rows,
            "Jadwal baru sama dengan jadwal sekarang; tidak ada yang diubah.",
        ),
    ],
    ids=["ended-stage", "upload-below-minimum", "running-start", "order", "past", "nothing"],
)
def test_change_breaking_a_rule_is_refused_with_message_and_changes_nothing_ERR_3(
    client, tender, pokja, when, change, message
):
    before = rules.to_json(_current(tender))
    url = reverse("tenders:change_request", args=[tender.code])
    with as_user(client, pokja, when):
        response = client.post(url, _form_data(change(_current(tender)), "Pokja berhalangan"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScheduleChange.objects.exists()
    assert rules.to_json(_current(tender)) == before


def _request(tender, pokja, when, rows, reason="Aanwijzing lapangan diundur karena banjir"):
    with travel(when):
        return changes.request_change(tender, rows, reason, by=pokja)


def test_head_applies_change_vendors_emailed_history_and_audit_ERR_3(
    client, tender, pokja, head, company, second_company, django_capture_on_commit_callbacks
):
    join(tender, company)
    join(tender, second_company)
    asked = during(StageKind.DOWNLOAD)
    url = reverse("tenders:change_request", args=[tender.code])
    proposed = _later_tail(_current(tender), days=2)
    with as_user(client, pokja, asked):
        response = client.post(url, _form_data(proposed, "Banjir di lokasi aanwijzing"))
    assert response.status_code == 302
    change = ScheduleChange.objects.get()
    assert change.status == ScheduleChangeStatus.PENDING
    assert change.changed_kinds() == [
        "bid_upload",
        "bid_opening",
        "evaluation",
        "winner_announcement",
        "objection",
        "contract",
    ]
    # nothing changed yet
    assert _current(tender)[3].ends_at == T0 + timedelta(days=10)
    detail = reverse("tenders:change_detail", args=[change.pk])
    received = asked + timedelta(hours=1)
    with as_user(client, head, received):
        page = client.get(detail).content.decode()
        assert "Banjir di lokasi aanwijzing" in page
        assert "17-09-2026 08:00" in page and "19-09-2026 08:00" in page
        client.post(detail, {"action": "receive"})
    applied = received + timedelta(minutes=20)
    mail.outbox.clear()
    with (
        as_user(client, head, applied),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            detail, {"action": "approve", "note": "Sesuai surat Pokja"}, follow=True
        )
    assert "Jadwal baru diterapkan" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ScheduleChangeStatus.APPROVED
    assert change.decided_by == head and change.decided_at == applied
    assert rules.to_json(_current(tender)) == rules.to_json(proposed)
    # every joined vendor is told, with before and after
    assert sorted(m.to[0] for m in mail.outbox) == sorted([company.email, second_company.email])
    body = mail.outbox[0].body
    assert "Banjir di lokasi aanwijzing" in body
    assert "17-09-2026 08:00 WIB" in body and "19-09-2026 08:00 WIB" in body
    # the schedule history shows before, after, reason, who and when
    with as_user(client, pokja, applied + timedelta(minutes=1)):
        page = client.get(reverse("tenders:manage", args=[tender.code])).content.decode()
    assert "Riwayat perubahan jadwal" in page
    assert "Banjir di lokasi aanwijzing" in page and "Hendra Gunawan" in page
    assert tender.announcements.filter(kind="schedule_change").count() == 1
    # SOP 3.5 case: three steps, the third within 15-30 minutes, closed
    case = change.sop_case
    assert case.status == CaseStatus.CLOSED
    runs = list(StepRun.objects.filter(case=case).order_by("step__number"))
    assert [run.step.number for run in runs] == [1, 2, 3]
    assert runs[2].started_at == received and runs[2].ended_at == applied
    assert runs[2].within_standard
    # audit chain: before/after schedules, intact
    event = AuditEvent.objects.get(action="tenders.schedule_change_apply")
    assert event.before["schedule"] == change.before
    assert event.after["schedule"] == change.after
    assert verify_chain().ok


def test_refusal_needs_a_note_and_changes_nothing_ERR_3(client, tender, pokja, head, company):
    join(tender, company)
    before = rules.to_json(_current(tender))
    change = _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(_current(tender)))
    detail = reverse("tenders:change_detail", args=[change.pk])
    with as_user(client, head, during(StageKind.DOWNLOAD, offset_hours=2)):
        response = client.post(detail, {"action": "refuse", "note": ""}, follow=True)
        assert "Alasan penolakan wajib diisi." in response.content.decode()
        response = client.post(
            detail, {"action": "refuse", "note": "Alasan tidak cukup kuat"}, follow=True
        )
    assert "jadwal tidak berubah" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ScheduleChangeStatus.REFUSED
    assert change.decision_note == "Alasan tidak cukup kuat"
    assert rules.to_json(_current(tender)) == before
    assert change.sop_case.status == CaseStatus.CLOSED


def test_committee_cannot_decide_and_outsider_cannot_see_ERR_3(client, tender, pokja, outsider):
    change = _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(_current(tender)))
    detail = reverse("tenders:change_detail", args=[change.pk])
    with as_user(client, pokja, during(StageKind.DOWNLOAD, offset_hours=1)):
        response = client.post(detail, {"action": "approve"}, follow=True)
        assert "Hanya Kepala LPSE atau Administrator Aplikasi" in response.content.decode()
        assert client.get(reverse("tenders:change_queue")).status_code == 403
    with pytest.raises(TenderError):
        changes.approve_change(change, by=pokja)
    change.refresh_from_db()
    assert change.status == ScheduleChangeStatus.PENDING
    with as_user(client, outsider, during(StageKind.DOWNLOAD, offset_hours=1)):
        assert client.get(detail).status_code == 403


def test_approval_refused_when_a_stage_ended_meanwhile_ERR_3(tender, pokja, appadmin):
    proposed = _shift(_current(tender), {StageKind.CLARIFICATION}, end=timedelta(hours=3))
    proposed = _shift(proposed, {StageKind.BID_UPLOAD}, start=timedelta(hours=3))
    change = _request(tender, pokja, during(StageKind.DOWNLOAD), proposed)
    before = rules.to_json(_current(tender))
    with travel(during(StageKind.BID_UPLOAD, offset_hours=1)):
        result = changes.approve_change(change, by=appadmin)
    assert result.status == ScheduleChangeStatus.REFUSED
    assert "Tahap Pemberian Penjelasan sudah berakhir" in result.decision_note
    assert rules.to_json(_current(tender)) == before


def test_second_of_two_conflicting_changes_is_refused_with_reason_ERR_3(
    tender, pokja, head, appadmin
):
    rows = _current(tender)
    first = _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(rows, days=2))
    second = _request(
        tender, pokja, during(StageKind.DOWNLOAD, offset_hours=1), _later_tail(rows, days=5)
    )
    with travel(during(StageKind.DOWNLOAD, offset_hours=2)):
        assert changes.approve_change(first, by=head).status == ScheduleChangeStatus.APPROVED
        result = changes.approve_change(second, by=appadmin)
    assert result.status == ScheduleChangeStatus.REFUSED
    assert f"sudah diubah oleh permohonan #{first.pk}" in result.decision_note
    assert rules.to_json(_current(tender)) == first.after


def test_withdraw_by_committee_ERR_3(client, tender, pokja):
    change = _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(_current(tender)))
    with as_user(client, pokja, during(StageKind.DOWNLOAD, offset_hours=1)):
        client.post(reverse("tenders:change_withdraw", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == ScheduleChangeStatus.WITHDRAWN
    with pytest.raises(TenderError, match="sudah diputuskan"):
        changes.approve_change(change, by=make_user("admin2", Role.APPADMIN))


def test_queue_lists_pending_with_constant_queries_ERR_3(
    client, tender, pokja, head, django_assert_max_num_queries
):
    rows = _current(tender)
    _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(rows, days=1))
    url = reverse("tenders:change_queue")
    with as_user(client, head, during(StageKind.DOWNLOAD, offset_hours=1)):
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        for days in (2, 3, 4):
            _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(rows, days=days))
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(url).content.decode()
    assert page.count("Aanwijzing lapangan diundur") == 4


def test_schedule_invalid_exception_lists_problems_ERR_3(tender, pokja):
    with travel(during(StageKind.CLARIFICATION)), pytest.raises(ScheduleInvalid) as refused:
        changes.request_change(
            tender,
            _shift(_current(tender), {StageKind.ANNOUNCEMENT}, end=timedelta(hours=1)),
            "x",
            by=pokja,
        )
    assert [p.kind for p in refused.value.problems] == [StageKind.ANNOUNCEMENT, StageKind.DOWNLOAD]
    assert "sudah berakhir" in refused.value.problems[0].message
    assert "bertumpuk" in refused.value.problems[1].message


def test_schedule_history_is_shown_to_vendors_who_see_the_tender_ERR_3(
    client, tender, pokja, head, company, second_company
):
    """Applied changes, with before/after, reason, who and when; pending ones stay internal."""
    join(tender, company)
    rows = _current(tender)
    applied = _request(tender, pokja, during(StageKind.DOWNLOAD), _later_tail(rows, days=2))
    with travel(during(StageKind.DOWNLOAD, offset_hours=1)):
        changes.approve_change(applied, by=head)
    _request(
        tender,
        pokja,
        during(StageKind.DOWNLOAD, offset_hours=2),
        _later_tail(_current(tender), days=1, from_kind=StageKind.CONTRACT),
        reason="Masih menunggu keputusan",
    )
    for user in (company.user, second_company.user):  # a participant and a mere visitor
        with as_user(client, user, during(StageKind.DOWNLOAD, offset_hours=3)):
            page = client.get(reverse("tenders:join", args=[tender.code])).content.decode()
        assert "Riwayat perubahan jadwal" in page
        assert "Aanwijzing lapangan diundur karena banjir" in page
        history = page.split('id="riwayat-jadwal"')[1]
        assert "Hendra Gunawan" in history and "Iwan Kurniawan" in history
        assert "<strong>Upload Dokumen Penawaran</strong>: 10-09-2026 08:00 WIB" in page
        assert "17-09-2026 08:00 WIB &rarr; 10-09-2026 08:00 WIB &ndash; 19-09-2026 08:00" in page
        assert "Masih menunggu keputusan" not in page
