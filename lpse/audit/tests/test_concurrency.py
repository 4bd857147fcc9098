"""AUD-1: the chain stays linear under concurrent writers on PostgreSQL.

Real threads, each with its own database connection, write audited
transactions at the same time. Skipped only when the database is not
PostgreSQL: SQLite serialises writers itself (one write transaction at a
time), so there is no concurrency to test there; .ci/run runs this file on
PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from lpse.accounts.models import WorkUnit
from lpse.audit.chain import verify_chain
from lpse.audit.models import GENESIS_HASH, AuditEvent
from lpse.audit.services import record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite already serialises all writers",
    ),
]

THREADS = 8
EVENTS_PER_THREAD = 15


def run_threads(targets):
    errors: list[BaseException] = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as exc:  # re-raised in the test thread
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    if errors:
        raise errors[0]


def test_aud1_parallel_transactions_build_one_linear_chain():
    start = threading.Barrier(THREADS)

    def writer(number: int):
        def run():
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                with transaction.atomic():
                    unit = WorkUnit.objects.create(code=f"U{number}-{n}", name=f"Unit {number}-{n}")
                    record("core.test", actor=None, target=unit, after={"t": number, "n": n})
                    time.sleep(0.001)  # keep the transaction open a little after record()

        return run

    run_threads([writer(i) for i in range(THREADS)])

    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    total = THREADS * EVENTS_PER_THREAD
    assert [seq for seq, _, _ in rows] == list(range(1, total + 1))
    predecessors = [prev for _, prev, _ in rows]
    assert len(set(predecessors)) == total  # no two events claim the same predecessor
    assert predecessors == [GENESIS_HASH] + [digest for _, _, digest in rows[:-1]]
    report = verify_chain()
    assert report.ok, report
    assert report.count == total


def test_aud1_unaudited_work_is_not_blocked_by_an_open_audited_transaction():
    recorded = threading.Event()
    release = threading.Event()
    finished: dict[str, float] = {}

    def slow_audited():
        with transaction.atomic():
            record("core.test", actor=None, summary="menahan ujung rantai")
            recorded.set()
            release.wait(timeout=30)

    def unrelated_write():
        recorded.wait(timeout=30)
        began = time.monotonic()
        with transaction.atomic():
            WorkUnit.objects.create(code="LAIN", name="Unit lain")
        finished["seconds"] = time.monotonic() - began
        release.set()

    run_threads([slow_audited, unrelated_write])
    assert finished["seconds"] < 5
    assert WorkUnit.objects.filter(code="LAIN").exists()
    assert verify_chain().ok
