"""AUD-1: `lpse audit verify` walks the chain and names the first broken link."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lpse.audit.chain import quick_check, verify_chain
from lpse.audit.models import AuditEvent, ChainHead
from lpse.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(head):
    """Ten events by the head of the LPSE."""
    return [
        record("core.test", actor=head, after={"n": n}, summary=f"peristiwa {n}")
        for n in range(1, 11)
    ]


def run_verify(capsys, *args):
    try:
        call_command("audit", "verify", *args)
    except CommandError as exc:
        captured = capsys.readouterr()
        return exc.returncode, captured.out + captured.err
    captured = capsys.readouterr()
    return 0, captured.out + captured.err


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_aud1_verify_reports_ok_with_count_and_head_hash(chain, capsys):
    code, output = run_verify(capsys, "--page-size", "3")  # several pages
    assert code == 0
    assert f"OK: 10 peristiwa; ujung #10 {chain[-1].hash}" in output


def test_aud1_row_edited_in_sql_makes_verify_fail_naming_its_seq(chain, capsys):
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["dipalsukan", 4])
    code, output = run_verify(capsys)
    assert code == 1
    assert "RUSAK pada seq 4" in output
    assert "hash tersimpan tidak cocok" in output
    assert "3 peristiwa lolos" in output


def test_aud1_edited_row_with_recomputed_hash_breaks_the_next_link(chain, capsys):
    """Rewriting a row's own hash too does not help: the next event still names the old one."""
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = %s", ["f" * 64, 6])
    code, output = run_verify(capsys)
    assert code == 1
    # seq 6's own hash no longer matches its fields.
    assert "RUSAK pada seq 6" in output


def test_aud1_deleted_row_is_detected_as_a_gap(chain, capsys):
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [5])
    code, output = run_verify(capsys)
    assert code == 1
    assert "RUSAK pada seq 5" in output
    assert "hilang" in output


def test_aud1_deleted_row_with_renumbered_tail_is_detected_by_prev_hash(chain):
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [5])
    raw("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq > %s", [5])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 5
    assert "prev_hash" in report.problem


def test_aud1_events_cut_off_the_end_are_detected_by_the_chain_head(chain, capsys):
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [9])
    code, output = run_verify(capsys)
    assert code == 1
    assert "RUSAK pada seq 9" in output
    assert "hilang" in output
    assert not quick_check().ok


def test_aud1_quick_check_sees_a_changed_last_event(chain):
    assert quick_check().ok
    raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["core.lain", 10])
    assert not quick_check().ok


def test_aud1_chain_continues_when_the_head_row_was_removed(chain):
    """A lost head row is rebuilt from the last event, never restarted at #1."""
    ChainHead.objects.all().delete()
    event = record("core.test", actor=None)
    assert event.seq == 11
    assert event.prev_hash == chain[-1].hash
    assert verify_chain().ok


def test_aud1_empty_chain_verifies(capsys):
    code, output = run_verify(capsys)
    assert code == 0
    assert "OK: 0 peristiwa" in output
    assert AuditEvent.objects.count() == 0
