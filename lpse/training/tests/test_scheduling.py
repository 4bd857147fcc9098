"""TRN-2: phone confirmation and scheduling by the SOP timetable, without double booking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.core.models import Closure
from lpse.sop.models import StepRun
from lpse.training import scheduling, services
from lpse.training.choices import RequestStatus
from lpse.training.models import DayException, SlotBooking, TrainingSession

from .conftest import NOW, at, confirmed, file, scheduled

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")

WED, THU, FRI, MON, TUE = (date(2026, 12, d) for d in (9, 10, 11, 14, 15))


def runs(training):
    return {
        run.step.number: run
        for run in StepRun.objects.filter(case=training.sop_case).select_related("step")
    }


def test_phone_confirmation_times_step_2_against_1_to_5_minutes_TRN_2(
    agency_admin, helpdesk, client, time_machine
):
    training = file(agency_admin)
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    login(client, helpdesk)
    response = client.post(
        reverse("training:confirm", args=[training.pk]),
        {"call_minutes": "4", "agreed_date": "2026-12-10", "note": "Disepakati Kamis"},
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.status == RequestStatus.CONFIRMED
    assert training.agreed_date == THU and training.call_minutes == 4
    steps = runs(training)
    assert steps[1].ended_at is not None
    call = steps[2]
    assert call.ended_at - call.started_at == timedelta(minutes=4)
    assert call.within_standard is True
    assert steps[3].ended_at is None  # scheduling runs now
    assert AuditEvent.objects.filter(action="training.request_confirm").exists()
    assert training.transitions.last().to_status == RequestStatus.CONFIRMED


def test_confirmation_refuses_a_date_outside_the_timetable_TRN_2(agency_admin, helpdesk, client):
    training = file(agency_admin)  # vendor training
    login(client, helpdesk)
    response = client.post(
        reverse("training:confirm", args=[training.pk]),
        {"call_minutes": "2", "agreed_date": "2026-12-14"},
    )
    assert response.status_code == 400
    assert "hanya pada hari Rabu, Kamis" in response.content.decode()
    training.refresh_from_db()
    assert training.status == RequestStatus.SUBMITTED


@pytest.mark.parametrize(
    ("audience", "day", "ok"),
    [
        ("vendor", WED, True),
        ("vendor", THU, True),
        ("vendor", MON, False),
        ("vendor", FRI, False),
        ("agency", MON, True),
        ("agency", TUE, True),
        ("agency", FRI, True),
        ("agency", WED, False),
        ("agency", date(2026, 12, 12), False),  # Saturday
        ("agency", date(2026, 12, 25), False),  # Christmas, a Friday
    ],
)
def test_sop_timetable_days_by_audience_TRN_2(audience, day, ok):
    assert (scheduling.day_problem(audience, day) is None) is ok


def test_holiday_name_is_given_and_local_closure_counts_TRN_2(head):
    assert "Natal" in scheduling.day_problem("agency", date(2026, 12, 25))
    Closure.objects.create(date=WED, name="Pindahan kantor LPSE", created_by=head)
    assert "Pindahan kantor LPSE" in scheduling.day_problem("vendor", WED)


def test_vendor_session_only_0900_to_1300_and_agency_0900_to_1500_TRN_2(
    agency_admin, helpdesk, room, server, trainer
):
    vendor_training = confirmed(file(agency_admin), helpdesk)
    with pytest.raises(services.TrainingError, match="09:00-13:00"):
        scheduled(
            vendor_training, helpdesk, room=room, server=server, trainer=trainer, hours=(9, 15)
        )
    with pytest.raises(services.TrainingError, match="09:00-13:00"):
        scheduled(
            vendor_training, helpdesk, room=room, server=server, trainer=trainer, hours=(8, 12)
        )
    agency = confirmed(file(agency_admin, audience="agency", wanted=MON), helpdesk)
    session = scheduled(agency, helpdesk, room=room, server=server, trainer=trainer)
    assert session.ends_at - session.starts_at == timedelta(hours=6)
    assert SlotBooking.objects.filter(session=session).count() == 6 * 3


def test_no_double_booking_of_room_trainer_or_server_TRN_2(
    agency_admin, helpdesk, room, room2, server, server2, trainer, trainer2
):
    first = confirmed(file(agency_admin), helpdesk)
    scheduled(first, helpdesk, room=room, server=server, trainer=trainer)
    second = confirmed(file(agency_admin), helpdesk)
    for resources, what in (
        ({"room": room, "server": server2, "trainer": trainer2}, "Ruang pelatihan"),
        ({"room": room2, "server": server, "trainer": trainer2}, "Server latihan"),
        ({"room": room2, "server": server2, "trainer": trainer}, "Pelatih"),
    ):
        with pytest.raises(services.TrainingError, match=f"{what} sudah terpakai"):
            scheduled(second, helpdesk, hours=(11, 13), **resources)
    second.refresh_from_db()
    assert second.status == RequestStatus.CONFIRMED and not hasattr(second, "session")
    scheduled(second, helpdesk, room=room2, server=server2, trainer=trainer2)
    assert TrainingSession.objects.count() == 2


def test_cancelling_releases_the_hours_TRN_2(agency_admin, helpdesk, room, server, trainer):
    first = confirmed(file(agency_admin), helpdesk)
    scheduled(first, helpdesk, room=room, server=server, trainer=trainer)
    services.cancel_request(first, by=helpdesk, reason="SKPD membatalkan lewat telepon")
    assert not SlotBooking.objects.exists()
    assert first.sop_case.status == "closed"
    second = confirmed(file(agency_admin), helpdesk)
    scheduled(second, helpdesk, room=room, server=server, trainer=trainer)


def test_other_day_only_when_the_head_sets_it_and_it_is_audited_TRN_2(
    agency_admin, helpdesk, head, client, room, server, trainer
):
    training = file(agency_admin, audience="agency", wanted=MON)
    confirmed(training, helpdesk)
    with pytest.raises(services.TrainingError, match="belum ditetapkan"):
        scheduled(training, helpdesk, day=WED, room=room, server=server, trainer=trainer)
    login(client, helpdesk)
    refused = client.post(
        reverse("training:exceptions"), {"date": "2026-12-09", "audience": "agency", "reason": "x"}
    )
    assert refused.status_code == 403
    login(client, head)
    response = client.post(
        reverse("training:exceptions"),
        {
            "date": "2026-12-09",
            "audience": "agency",
            "reason": "Pokja baru sebelum tender akhir tahun",
        },
    )
    assert response.status_code == 302
    exception = DayException.objects.get()
    assert AuditEvent.objects.filter(action="training.day_exception").count() == 1
    session = scheduled(training, helpdesk, day=WED, room=room, server=server, trainer=trainer)
    assert session.exception == exception
    with pytest.raises(services.TrainingError, match="tidak mengizinkan hari lain"):
        services.set_day_exception(day=MON, audience="vendor", reason="x", by=head)
    with pytest.raises(services.TrainingError, match="bukan hari kerja"):
        services.set_day_exception(day=date(2026, 12, 25), audience="agency", reason="x", by=head)


def test_proposals_skip_taken_days_weekends_and_holidays_TRN_2(
    agency_admin, helpdesk, room, server, trainer, django_assert_max_num_queries
):
    first = confirmed(file(agency_admin), helpdesk)
    scheduled(first, helpdesk, room=room, server=server, trainer=trainer)  # Wed 9 Dec taken
    with django_assert_max_num_queries(10):
        slots = scheduling.propose_slots("vendor", start=WED, count=4)
    assert [slot.day for slot in slots] == [
        THU,
        date(2026, 12, 16),
        date(2026, 12, 17),
        date(2026, 12, 23),
    ]
    assert slots[0].starts_at == at(THU, 9) and slots[0].ends_at == at(THU, 13)
    agency = scheduling.propose_slots("agency", start=date(2026, 12, 21), count=3)
    # Thursday 24 is cuti bersama, Friday 25 Christmas.
    assert [slot.day for slot in agency] == [
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 28),
    ]


def test_detail_page_offers_proposals_and_one_click_schedules_TRN_2(
    agency_admin, helpdesk, client, room, server, trainer
):
    training = confirmed(file(agency_admin), helpdesk)
    login(client, helpdesk)
    page = client.get(reverse("training:detail", args=[training.pk])).content.decode()
    assert "Jadwal kosong berikutnya" in page and "Rabu, 09-12-2026" in page
    response = client.post(
        reverse("training:schedule", args=[training.pk]),
        {
            "date": "2026-12-09",
            "starts_at": "09:00",
            "ends_at": "13:00",
            "room": room.pk,
            "server": server.pk,
            "trainer": trainer.pk,
        },
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.status == RequestStatus.SCHEDULED
    assert runs(training)[3].ended_at is not None
    clash = confirmed(file(agency_admin), helpdesk)
    response = client.post(
        reverse("training:schedule", args=[clash.pk]),
        {
            "date": "2026-12-09",
            "starts_at": "10:00",
            "ends_at": "12:00",
            "room": room.pk,
            "server": server.pk,
            "trainer": trainer.pk,
        },
    )
    assert response.status_code == 400
    assert "sudah terpakai pada 09-12-2026 10:00" in response.content.decode()


def test_desk_is_warned_when_the_wanted_date_breaks_the_timetable_TRN_2(
    agency_admin, helpdesk, client
):
    training = file(agency_admin, wanted=MON)  # vendor training on a Monday
    login(client, helpdesk)
    page = client.get(reverse("training:detail", args=[training.pk])).content.decode()
    assert "tidak sesuai jadwal SOP" in page
    assert "hanya pada hari Rabu, Kamis" in page
