"""DESK-3: escalation to LKPP, its wait against 1-24 hours, and the LPSE's paused clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.desk import escalation_services, selectors, services
from lpse.desk.choices import EscalationStatus, TicketStatus
from lpse.desk.models import Escalation

from .helpers import phone_call

WIB = ZoneInfo("Asia/Jakarta")


def at(hour, minute=0, day=5):
    return datetime(2026, 5, day, hour, minute, tzinfo=WIB)  # 5 May 2026: a Tuesday


def test_clock_pauses_while_waiting_on_lkpp_and_counts_working_hours_DESK_3(
    client, helpdesk, sending
):
    with time_machine.travel(at(9), tick=False):
        ticket = phone_call(helpdesk, email="warga@contoh.id", received_at=at(9))
    with time_machine.travel(at(10), tick=False):
        services.change_status(ticket, TicketStatus.OPEN, by=helpdesk)
    with time_machine.travel(at(11), tick=False):
        escalation = escalation_services.escalate(
            ticket,
            by=helpdesk,
            reason="cannot_solve",
            sent_summary="Halaman jadwal galat 500 untuk paket 12345.",
            lkpp_reference="LKPP-2026-0501",
        )
    with time_machine.travel(at(15), tick=False):
        clock = selectors.service_clock(selectors.transitions_of(ticket))
        assert clock.working_seconds == 2 * 3600
        assert clock.paused_seconds == 4 * 3600
        assert not clock.running
    # Overnight: outside working hours nothing counts even while running.
    with time_machine.travel(at(15), tick=False), sending():
        escalation_services.record_lkpp_answer(
            escalation, by=helpdesk, answer="Sudah diperbaiki pada server LKPP."
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ANSWERED
    assert mail.outbox[-1].to == ["warga@contoh.id"]
    assert "Sudah diperbaiki pada server LKPP." in mail.outbox[-1].body
    with time_machine.travel(at(9, day=6), tick=False):
        clock = selectors.service_clock(selectors.transitions_of(ticket))
        assert clock.working_seconds == 2 * 3600  # stopped once answered
        login(client, helpdesk)
        page = client.get(reverse("desk:ticket", args=[ticket.pk])).content.decode()
    assert "Terpakai 2 jam waktu kerja dari target 8 jam kerja." in page
    assert "LKPP-2026-0501" in page
    assert "menunggu 4 jam" in page
    assert "dalam standar 1-24 jam" in page


def test_clock_counts_only_working_hours_across_a_night_DESK_3(helpdesk):
    with time_machine.travel(at(15), tick=False):
        ticket = phone_call(helpdesk, received_at=at(15))
    with time_machine.travel(at(9, day=6), tick=False):
        clock = selectors.service_clock(selectors.transitions_of(ticket))
    assert clock.working_seconds == 2 * 3600  # 15-16 and 08-09
    assert clock.running


def test_escalation_records_reason_what_was_sent_and_lkpp_reference_DESK_3(client, helpdesk):
    with time_machine.travel(at(9), tick=False):
        ticket = phone_call(helpdesk)
        login(client, helpdesk)
        response = client.post(
            reverse("desk:ticket_escalate", args=[ticket.pk]),
            {
                "reason": "not_covered",
                "sent_summary": "Permintaan fitur metode e-purchasing baru.",
                "lkpp_reference": "LKPP-778",
            },
        )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.reason == "not_covered"
    assert escalation.lkpp_reference == "LKPP-778"
    assert escalation.status == EscalationStatus.WAITING
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_LKPP
    assert AuditEvent.objects.filter(action="desk.escalate").exists()


def test_escalation_needs_reference_and_summary_and_changes_nothing_DESK_3(client, helpdesk):
    ticket = phone_call(helpdesk)
    login(client, helpdesk)
    response = client.post(
        reverse("desk:ticket_escalate", args=[ticket.pk]), {"reason": "cannot_solve"}
    )
    assert response.status_code == 400
    assert not Escalation.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW
    with pytest.raises(services.DeskError, match="Nomor tiket LKPP wajib diisi"):
        escalation_services.escalate(
            ticket, by=helpdesk, reason="cannot_solve", sent_summary="x", lkpp_reference=" "
        )


def test_lkpp_wait_past_24_hours_is_flagged_DESK_3(helpdesk):
    with time_machine.travel(at(9), tick=False):
        ticket = phone_call(helpdesk)
        escalation_services.escalate(
            ticket, by=helpdesk, reason="cannot_solve", sent_summary="x", lkpp_reference="L-1"
        )
    with time_machine.travel(at(9) + timedelta(hours=23), tick=False):
        assert selectors.lkpp_waits(ticket)[0].within
    with time_machine.travel(at(9) + timedelta(hours=25), tick=False):
        wait = selectors.lkpp_waits(ticket)[0]
        assert not wait.within
        assert wait.waited == timedelta(hours=25)


def test_second_escalation_waits_for_the_first_answer_DESK_3(helpdesk):
    ticket = phone_call(helpdesk)
    escalation_services.escalate(
        ticket, by=helpdesk, reason="cannot_solve", sent_summary="x", lkpp_reference="L-1"
    )
    with pytest.raises(services.DeskError):
        escalation_services.escalate(
            ticket, by=helpdesk, reason="cannot_solve", sent_summary="y", lkpp_reference="L-2"
        )
    assert Escalation.objects.count() == 1
