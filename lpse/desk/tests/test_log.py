"""DESK-1: every request is recorded, phone and walk-in requesters without e-mail first-class."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.desk.choices import TicketStatus
from lpse.desk.models import Ticket, TicketTransition
from lpse.sop.models import StepRun

from .helpers import phone_call

WIB = ZoneInfo("Asia/Jakarta")
TUESDAY_10 = datetime(2026, 5, 5, 10, 0, tzinfo=WIB)
TUESDAY_20 = datetime(2026, 5, 5, 20, 0, tzinfo=WIB)


def test_phone_call_logged_without_email_from_one_form_DESK_1(client, helpdesk, topic):
    login(client, helpdesk)
    with time_machine.travel(TUESDAY_10, tick=False):
        page = client.get(reverse("desk:log"))
        assert page.status_code == 200
        response = client.post(
            reverse("desk:log"),
            {
                "requester_type": "committee",
                "channel": "phone",
                "topic": topic.pk,
                "requester_name": "Bu Sari (Pokja Dinas PU)",
                "requester_phone": "021-5991234",
                "requester_email": "",
                "question": "Kapan jadwal verifikasi penyedia?",
                "answer": "Setiap hari kerja pukul 09.00-15.00 WIB di kantor LPSE.",
                "received_at": "2026-05-05T09:52",
                "ended_at": "2026-05-05T09:55",
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("desk:ticket", args=[ticket.pk])
    assert ticket.reference == f"HD-2026-{ticket.pk:06d}"
    assert ticket.requester_email == ""
    assert ticket.requester_type == "committee"
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.inside_working_hours is True
    assert ticket.assigned_to == helpdesk
    assert [m.kind for m in ticket.messages.all()] == ["requester", "reply"]
    assert mail.outbox == []  # no address, nothing invented
    moves = list(
        TicketTransition.objects.filter(ticket=ticket).values_list("from_status", "to_status")
    )
    assert moves == [("", "new"), ("new", "answered")]
    assert AuditEvent.objects.filter(action="desk.ticket_log").count() == 1
    with time_machine.travel(TUESDAY_10, tick=False):
        detail = client.get(reverse("desk:ticket", args=[ticket.pk])).content.decode()
    assert "tanpa e-mail" in detail
    assert "dalam jam kerja" in detail


def test_call_outside_working_hours_is_marked_DESK_1(helpdesk):
    with time_machine.travel(TUESDAY_20, tick=False):
        ticket = phone_call(helpdesk)
    assert ticket.inside_working_hours is False
    assert ticket.status == TicketStatus.NEW


def test_logged_call_runs_sop_2_1_steps_with_times_SOP_2_DESK_1(helpdesk):
    with time_machine.travel(TUESDAY_10, tick=False):
        ticket = phone_call(
            helpdesk,
            answer="Silakan unduh formulir di halaman pendaftaran.",
            received_at=datetime(2026, 5, 5, 9, 50, tzinfo=WIB),
            ended_at=datetime(2026, 5, 5, 9, 56, tzinfo=WIB),
        )
    case = ticket.sop_case
    assert case.procedure.code == "2.1"
    runs = {
        run.step.number: (run.started_at, run.ended_at)
        for run in StepRun.objects.filter(case=case).select_related("step")
    }
    start, end = datetime(2026, 5, 5, 9, 50, tzinfo=WIB), datetime(2026, 5, 5, 9, 56, tzinfo=WIB)
    assert runs == {2: (start, end), 1: (start, end)}


def test_bad_log_input_is_refused_and_changes_nothing_DESK_1(client, helpdesk, topic):
    login(client, helpdesk)
    with time_machine.travel(TUESDAY_10, tick=False):
        response = client.post(
            reverse("desk:log"),
            {
                "requester_type": "vendor",
                "channel": "phone",
                "topic": topic.pk,
                "requester_name": "Pak Budi",
                "requester_phone": "0812",
                "question": "Tanya",
                "received_at": "2026-05-05T09:30",
                "ended_at": "2026-05-05T09:00",
            },
        )
    assert response.status_code == 400
    assert "Waktu selesai tidak boleh sebelum waktu diterima." in response.content.decode()
    assert not Ticket.objects.exists()
    with time_machine.travel(TUESDAY_10, tick=False):
        response = client.post(
            reverse("desk:log"),
            {"requester_type": "vendor", "channel": "phone", "topic": topic.pk, "question": "x"},
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Isi nomor telepon penanya." in text
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("who", ["vendor", "committee", "outsider"])
def test_log_form_is_for_desk_staff_only_SEC_1(client, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("desk:log")).status_code == 403
    assert client.get(reverse("desk:queue")).status_code == 403
