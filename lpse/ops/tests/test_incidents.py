"""Incidents (MON-2): one open incident per condition, e-mail on open/escalate/close,
reminders, transition rows and audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.audit.models import AuditEvent
from lpse.conftest import make_user
from lpse.ops.choices import Level
from lpse.ops.models import Incident
from lpse.ops.services import report_condition, send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(db):
    return make_user("sys.admin", Role.SYSADMIN), make_user("kepala.lpse", Role.HEAD)


def test_mon_2_report_condition_opens_escalates_and_closes_one_incident(
    admins, mailoutbox, django_capture_on_commit_callbacks
):
    """MON-2: warning opens (mail), repeating changes nothing (no storm), critical escalates
    (mail), OK closes (mail); every move is a transition row and an audit event."""
    with django_capture_on_commit_callbacks(execute=True):
        opened = report_condition("env:suhu", level=Level.WARNING, title="Suhu 25 C", value=25)
    assert opened.is_open and opened.level == Level.WARNING
    assert [m.to for m in mailoutbox] == [["sys.admin@contoh.go.id"]]
    assert "Insiden baru" in mailoutbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        for value in (25.5, 25.7, 25.2):
            same = report_condition("env:suhu", level=Level.WARNING, title="Suhu", value=value)
    assert same.pk == opened.pk
    assert len(mailoutbox) == 1
    assert Incident.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        report_condition("env:suhu", level=Level.CRITICAL, title="Suhu 28 C", value=28)
    assert len(mailoutbox) == 2 and "memburuk" in mailoutbox[1].subject

    with django_capture_on_commit_callbacks(execute=True):
        closed = report_condition("env:suhu", level=Level.OK, title="Suhu 22 C", value=22)
    assert closed.pk == opened.pk and not closed.is_open and closed.closed_at
    assert closed.peak_level == Level.CRITICAL
    assert len(mailoutbox) == 3 and "selesai" in mailoutbox[2].subject
    moves = list(closed.transitions.values_list("from_level", "to_level"))
    assert moves == [("", "warning"), ("warning", "critical"), ("critical", "ok")]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"ops.incident_opened", "ops.incident_escalated", "ops.incident_closed"} <= actions

    # After closing, the same condition opens a new incident.
    assert report_condition("env:suhu", level=Level.OK, title="Suhu") is None
    again = report_condition("env:suhu", level=Level.WARNING, title="Suhu lagi", value=25)
    assert again.pk != opened.pk


def test_mon_2_reminders_at_the_set_interval(
    admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """MON-2: an incident still open is e-mailed again once per reminder interval."""
    settings.LPSE_OPS_REMINDER_MINUTES = 60
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        report_condition("x", level=Level.CRITICAL, title="X mati", at=start)
        assert send_reminders(now=start + timedelta(minutes=30)) == 0
        assert send_reminders(now=start + timedelta(minutes=61)) == 1
        assert send_reminders(now=start + timedelta(minutes=62)) == 0
        assert send_reminders(now=start + timedelta(minutes=122)) == 1
    assert len(mailoutbox) == 3
    assert "Pengingat" in mailoutbox[-1].subject
    assert Incident.objects.get().reminders_sent == 2


def test_mon_2_roles_choose_the_recipients(admins, mailoutbox, django_capture_on_commit_callbacks):
    """MON-2: the caller names the responsible roles."""
    with django_capture_on_commit_callbacks(execute=True):
        report_condition("y", level=Level.WARNING, title="Y", roles=(Role.SYSADMIN, Role.HEAD))
    assert sorted(mailoutbox[0].to) == ["kepala.lpse@contoh.go.id", "sys.admin@contoh.go.id"]


def test_mon_2_acknowledged_incident_stops_reminders_until_it_escalates(
    client, admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """MON-2: the sysadmin takes an incident on with a note (audited); reminders stop;
    an escalation mails and reminds again. LKPP's monitor cannot acknowledge."""
    from django.urls import reverse

    from lpse.conftest import login

    settings.LPSE_OPS_REMINDER_MINUTES = 60
    start = timezone.now()
    incident = report_condition("disk", level=Level.WARNING, title="Disk 85 %", at=start)
    monitor = make_user("pemantau", Role.LKPP_MONITOR)
    login(client, monitor)
    url = reverse("ops:incident", args=[incident.pk])
    assert client.post(url, {"note": "x"}).status_code == 403
    login(client, admins[0])
    response = client.post(url, {"note": ""}, follow=True)
    assert "Bidang ini tidak boleh kosong." in response.text
    response = client.post(url, {"note": "Membersihkan log lama."}, follow=True)
    assert "sedang ditangani" in response.text
    incident.refresh_from_db()
    assert incident.acknowledged_by == admins[0]
    assert AuditEvent.objects.filter(action="ops.incident_acknowledged").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=start + timedelta(minutes=90)) == 0
        report_condition("disk", level=Level.CRITICAL, title="Disk 95 %", at=start)
        assert send_reminders(now=start + timedelta(minutes=90)) == 1
    assert Incident.objects.get().acknowledged_at is None
