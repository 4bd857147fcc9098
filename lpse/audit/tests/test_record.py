"""AUD-1: services append events to a hash chain, in their own transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import RequestFactory

from lpse.accounts.models import WorkUnit
from lpse.audit.chain import verify_chain
from lpse.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from lpse.audit.selectors import events_for
from lpse.audit.services import record, snapshot
from lpse.conftest import make_user
from lpse.core.models import Closure

pytestmark = pytest.mark.django_db


def test_aud1_record_links_each_event_to_the_previous_hash(head):
    unit = WorkUnit.objects.create(code="DPUPR", name="Dinas PUPR")
    first = record("core.test", actor=head, target=unit, after={"name": "Dinas PUPR"})
    second = record(
        "core.test",
        actor=head,
        target=unit,
        before={"name": "Dinas PUPR"},
        after={"name": "Dinas Bina Marga"},
        summary="Nama diubah",
    )
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64
    stored = AuditEvent.objects.get(seq=2)
    assert stored.actor == head
    assert stored.actor_repr == "kepala"
    assert stored.target_repr == "Dinas PUPR"
    assert stored.target_id == str(unit.pk)
    assert stored.after == {"name": "Dinas Bina Marga"}
    assert list(events_for(unit)) == [stored, AuditEvent.objects.get(seq=1)]
    assert verify_chain().ok


def test_aud1_record_is_rolled_back_with_the_callers_transaction(head):
    with pytest.raises(RuntimeError), transaction.atomic():
        record("core.test", actor=head, summary="tidak jadi")
        raise RuntimeError("the service failed after recording")
    assert not AuditEvent.objects.exists()
    event = record("core.test", actor=head)
    assert event.seq == 1  # no hole left behind by the rolled-back event
    assert verify_chain().ok


def test_aud1_record_keeps_client_ip_and_request_user(head):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = head
    event = record("core.test", actor=None, request=request)
    assert event.ip == "203.0.113.9"
    assert event.actor_repr == "kepala"
    system = record("core.tick", actor=None)
    assert system.actor is None
    assert system.actor_repr == "sistem"


def test_aud1_snapshot_gives_json_safe_values(head):
    closure = Closure.objects.create(date=date(2026, 3, 12), name="HUT Kabupaten", created_by=head)
    data = snapshot(closure, ["date", "name", "created_by", "created_at"])
    assert data["date"] == "2026-03-12"
    assert data["name"] == "HUT Kabupaten"
    assert data["created_by"] == head.pk
    assert isinstance(data["created_at"], str)
    event = record("core.test", actor=head, after={"amount": Decimal("1500000.50"), **data})
    assert AuditEvent.objects.get(pk=event.pk).after["amount"] == "1500000.50"
    assert verify_chain().ok


def test_aud1_events_cannot_be_changed_or_deleted_through_the_orm(head):
    event = record("core.test", actor=head, summary="asli")
    event.summary = "palsu"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="palsu")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "asli"


def test_aud1_deleting_a_user_keeps_the_actor_text_and_the_chain():
    gone = make_user("pegawai_lama")
    record("core.test", actor=gone)
    gone.delete()
    event = AuditEvent.objects.get()
    assert event.actor is None
    assert event.actor_repr == "pegawai_lama"
    assert verify_chain().ok
