"""ERR-3: two approvals of conflicting schedule changes at the same moment, in real concurrent
transactions. The tender row lock serialises them: one is applied, the other is refused with
the reason, and the schedule is exactly the winner's.

Skipped only on SQLite, which serialises all writers itself (no row locks to test); ./test
runs it on PostgreSQL with DATABASE_URL=postgres://...
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import make_user
from lpse.sop.services import load_procedures
from lpse.vendors.tests.company_helpers import make_vendor

from .. import changes
from .. import schedule as rules
from ..choices import ScheduleChangeStatus, StageKind
from ..models import ScheduleChange, Stage
from .helpers import during, join, make_tender, travel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks: SQLite already serialises all writers",
    ),
]


def _later(rows, days):
    position = StageKind.ORDER.index(StageKind.BID_UPLOAD)
    out = []
    for row in rows:
        index = StageKind.ORDER.index(row.kind)
        shift = timedelta(days=days)
        if index == position:
            out.append(rules.Row(row.kind, row.starts_at, row.ends_at + shift))
        elif index > position:
            out.append(rules.Row(row.kind, row.starts_at + shift, row.ends_at + shift))
        else:
            out.append(row)
    return out


def test_two_concurrent_approvals_of_conflicting_changes_one_wins_ERR_3(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_procedures()
    unit = WorkUnit.objects.create(code="DBMSDA", name="Dinas Bina Marga dan Sumber Daya Air")
    pokja = make_user("pokja", Role.COMMITTEE)
    head = make_user("kepala", Role.HEAD)
    admin = make_user("admin_aplikasi", Role.APPADMIN)
    ppk = make_user("ppk", Role.PPK)
    tender = make_tender(pokja, ppk, unit)
    company = make_vendor(make_user("pt_maju", Role.VENDOR), activated_at=tender.created_at)
    join(tender, company)
    rows = rules.rows_of(Stage.objects.filter(tender=tender))
    moment = during(StageKind.DOWNLOAD)
    with travel(moment):
        first = changes.request_change(tender, _later(rows, 2), "Banjir", by=pokja)
        second = changes.request_change(tender, _later(rows, 4), "Libur daerah", by=pokja)

    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def approve(change, user):
        try:
            barrier.wait(timeout=10)
            results[user.username] = changes.approve_change(change, by=user).status
        except BaseException as error:  # re-raised below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(first, head)),
        threading.Thread(target=approve, args=(second, admin)),
    ]
    with travel(moment + timedelta(hours=1)):  # the clock is global: set once, for both
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert sorted(results.values()) == [ScheduleChangeStatus.APPROVED, ScheduleChangeStatus.REFUSED]
    winner = ScheduleChange.objects.get(status=ScheduleChangeStatus.APPROVED)
    loser = ScheduleChange.objects.get(status=ScheduleChangeStatus.REFUSED)
    assert f"sudah diubah oleh permohonan #{winner.pk}" in loser.decision_note
    assert rules.to_json(rules.rows_of(Stage.objects.filter(tender=tender))) == winner.after
    assert tender.announcements.filter(kind="schedule_change").count() == 1
