"""TRN-2/TRN-3 under concurrent officers, on PostgreSQL: letter numbers never repeat and
two bookings never take the same room, trainer or server hour.

Real threads, each with its own database connection. Skipped only when the
database is not PostgreSQL: SQLite serialises all writers itself; .ci/run runs
this file on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from lpse.core.numbering import next_number
from lpse.training import services
from lpse.training.choices import LetterKind
from lpse.training.models import Letter, SlotBooking, TrainingSession

from .conftest import at, confirmed, file, scheduled

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite already serialises all writers",
    ),
    pytest.mark.usefixtures("registry", "media", "frozen"),
]


def run_threads(targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def test_concurrent_number_generation_never_repeats_TRN_3():
    threads, each = 8, 10
    start = threading.Barrier(threads)
    numbers: list[int] = []
    lock = threading.Lock()

    def worker():
        start.wait()
        for _ in range(each):
            with transaction.atomic():
                number = next_number("uji.paralel", 2026)
            with lock:
                numbers.append(number)

    assert run_threads([worker] * threads) == []
    assert sorted(numbers) == list(range(1, threads * each + 1))


def test_concurrent_letters_get_distinct_numbers_TRN_3(agency_admin, helpdesk, server):
    from datetime import date

    from lpse.conftest import make_user
    from lpse.training.models import TrainingResource

    plans = []
    for n, day in enumerate((9, 10, 16, 17, 23, 30)):
        person = make_user(f"pelatih_{n}", "trainer")
        room_n = TrainingResource.objects.create(kind="room", name=f"Ruang {n}")
        training = confirmed(file(agency_admin, wanted=date(2026, 12, day)), helpdesk)
        scheduled(training, helpdesk, room=room_n, server=server, trainer=person)
        plans.append(training)
    start = threading.Barrier(len(plans))

    def issue(training):
        def run():
            start.wait()
            services.issue_letter(training, LetterKind.REPLY, by=helpdesk)

        return run

    assert run_threads([issue(t) for t in plans]) == []
    numbers = list(Letter.objects.values_list("sequence", flat=True))
    assert sorted(numbers) == list(range(1, len(plans) + 1))


def test_two_officers_booking_the_same_hours_one_wins_TRN_2(
    agency_admin, helpdesk, room, server, trainer
):
    from datetime import date

    day = date(2026, 12, 9)
    first = confirmed(file(agency_admin, wanted=day), helpdesk)
    second = confirmed(file(agency_admin, wanted=day), helpdesk)
    start = threading.Barrier(2)
    refused: list[str] = []

    def book(training, hours):
        def run():
            start.wait()
            try:
                services.schedule_session(
                    training,
                    by=helpdesk,
                    starts_at=at(day, hours[0]),
                    ends_at=at(day, hours[1]),
                    room=room,
                    server=server,
                    trainer=trainer,
                )
            except services.TrainingError as error:
                refused.append(error.message)

        return run

    assert run_threads([book(first, (9, 13)), book(second, (11, 13))]) == []
    assert len(refused) == 1, refused
    assert "sudah terpakai" in refused[0] or "baru saja dipakai" in refused[0]
    assert TrainingSession.objects.count() == 1
    session = TrainingSession.objects.get()
    hours = (session.ends_at - session.starts_at).seconds // 3600
    assert SlotBooking.objects.count() == hours * 3
