"""TRN-4: attendance and outcome, the month calendar and the trainers' iCalendar feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.sop.models import StepRun
from lpse.training import services
from lpse.training.choices import LetterKind, RequestStatus

from .conftest import NOW, confirmed, file, scheduled

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")


@pytest.fixture
def assigned(agency_admin, helpdesk, room, server, trainer):
    training = confirmed(
        file(agency_admin, names=("Andi Wijaya", "Budi Hartono", "Citra")), helpdesk
    )
    scheduled(training, helpdesk, room=room, server=server, trainer=trainer)
    for kind in (LetterKind.REPLY, LetterKind.ASSIGNMENT):
        services.send_letter(services.issue_letter(training, kind, by=helpdesk), by=helpdesk)
    training.refresh_from_db()
    assert training.status == RequestStatus.ASSIGNED
    return training


def test_trainer_records_attendance_and_outcome_and_case_closes_TRN_4(
    assigned, trainer, client, time_machine
):
    time_machine.move_to(NOW + timedelta(days=2, hours=4), tick=False)  # Wed 9 Dec 14:00
    participants = list(assigned.participants.all())
    login(client, trainer)
    response = client.post(
        reverse("training:outcome", args=[assigned.pk]),
        {
            "held": "1",
            "attended": [str(participants[0].pk), str(participants[2].pk)],
            "attended_count": "4",
            "note": "Peserta berhasil membuat paket dan mengunggah penawaran di server latihan.",
        },
    )
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == RequestStatus.HELD and assigned.attended_count == 4
    assert [p.attended for p in assigned.participants.all()] == [True, False, True]
    case = assigned.sop_case
    assert case.status == "closed"
    assert set(StepRun.objects.filter(case=case).values_list("step__number", flat=True)) == set(
        range(1, 8)
    )
    assert not StepRun.objects.filter(case=case, ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="training.outcome").count() == 1
    page = client.get(reverse("training:detail", args=[assigned.pk])).content.decode()
    assert "Server Latihan SPSE" in page and "Jumlah hadir: 4 orang." in page


def test_outcome_before_the_training_or_by_another_trainer_is_refused_TRN_4(
    assigned, trainer2, trainer, client
):
    login(client, trainer2)
    url = reverse("training:outcome", args=[assigned.pk])
    assert client.post(url, {"held": "1", "note": "x"}).status_code == 403
    login(client, trainer)
    response = client.post(url, {"held": "1", "note": "x"})
    assert response.status_code == 400
    assert "belum dimulai" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == RequestStatus.ASSIGNED


def test_month_calendar_shows_trainings_and_holidays_with_constant_queries_TRN_4(
    agency_admin,
    helpdesk,
    room,
    room2,
    server,
    server2,
    trainer,
    trainer2,
    client,
    django_assert_max_num_queries,
):
    first = confirmed(file(agency_admin), helpdesk)
    scheduled(first, helpdesk, room=room, server=server, trainer=trainer)
    login(client, agency_admin)
    url = reverse("training:calendar") + "?bulan=2026-12"
    with django_assert_max_num_queries(14) as baseline:
        client.get(url)
    more = confirmed(file(agency_admin), helpdesk)
    scheduled(more, helpdesk, room=room2, server=server2, trainer=trainer2)
    with django_assert_max_num_queries(len(baseline)):
        page = client.get(url).content.decode()
    assert "Kalender pelatihan: Desember 2026" in page
    assert page.count("09:00-13:00 DBMSDA") == 2
    assert "Hari Raya Natal" in page
    assert client.get(reverse("training:calendar") + "?bulan=xx").status_code == 200


def test_trainer_subscribes_to_an_ics_feed_with_a_secret_address_TRN_4(assigned, trainer, client):
    login(client, trainer)
    page = client.post(reverse("training:my_feed")).content.decode()
    start = page.index("/pelatihan/ics/")
    path = page[start : page.index('"', start)]
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # RFC 5545 3.1 folding
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == assigned.session.starts_at
    assert "Dinas Bina Marga dan SDA" in str(event["summary"])
    assert "Server latihan: Server Latihan SPSE" in str(event["description"])
    assert b"DTSTART:20261209T020000Z" in body
    # Renewing makes the old address stop working.
    login(client, trainer)
    client.post(reverse("training:my_feed"))
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/pelatihan/ics/tebakan.ics").status_code == 404


def test_ics_escapes_commas_semicolons_and_new_lines_TRN_4(assigned, trainer):
    from lpse.training import ics, selectors

    assigned.work_unit.name = "Dinas A, B; C\\D"
    assigned.work_unit.save()
    body = ics.feed(trainer, selectors.feed_sessions(trainer, NOW), now=NOW)
    unfolded = body.replace(b"\r\n ", b"")
    assert b"Dinas A\\, B\\; C\\\\D" in unfolded
    assert b"\\nServer latihan" in unfolded


def test_cancelled_session_stays_in_feed_as_cancelled_TRN_4(assigned, trainer, helpdesk):
    from lpse.training import ics, selectors

    services.cancel_request(assigned, by=helpdesk, reason="Ruang dipakai rapat Bupati")
    body = ics.feed(trainer, selectors.feed_sessions(trainer, NOW), now=NOW)
    assert b"STATUS:CANCELLED" in body
