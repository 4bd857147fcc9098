"""Hashing and verification of the audit chain (AUD-1).

The hash of an event is SHA-256 over the canonical JSON (sorted keys, no
spaces, UTF-8) of: seq, at (UTC, ISO 8601 with microseconds), actor (the kept
actor text), action, target ("app_label.model"), target_id, target_repr,
before, after, summary, ip and prev_hash. Anyone can recompute it from an
export of the table with a few lines of any language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditEvent, ChainHead

#: Rows per page while walking the chain (keyset pagination on seq).
PAGE_SIZE = 5000

_FIELDS = (
    "seq",
    "at",
    "actor_repr",
    "action",
    "target_type_id",
    "target_id",
    "target_repr",
    "before",
    "after",
    "summary",
    "ip",
    "prev_hash",
    "hash",
)


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_at(at: datetime) -> str:
    """UTC, ISO 8601 with microseconds and a Z: 2026-03-16T02:30:00.000000Z."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor_repr: str,
    action: str,
    target: str,
    target_id: str,
    target_repr: str,
    before,
    after,
    summary: str,
    ip: str,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": format_at(at),
        "actor": actor_repr,
        "action": action,
        "target": target,
        "target_id": target_id,
        "target_repr": target_repr,
        "before": before,
        "after": after,
        "summary": summary,
        "ip": ip,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


class _TargetLabels(dict):
    """content type id -> "app_label.model", loaded once per walk."""

    def __missing__(self, key):
        if key is None:
            return ""
        ct = ContentType.objects.get_for_id(key)
        label = self[key] = f"{ct.app_label}.{ct.model}"
        return label


def target_label(content_type_id: int | None) -> str:
    return _TargetLabels()[content_type_id]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return _("OK: %(count)s peristiwa; ujung #%(seq)s %(hash)s") % {
                "count": self.count,
                "seq": self.head_seq,
                "hash": self.head_hash,
            }
        return _("RUSAK pada seq %(seq)s: %(problem)s") % {
            "seq": self.broken_seq,
            "problem": self.problem,
        }


def _rows(page_size: int) -> Iterator[tuple]:
    last = 0
    while True:
        page = list(
            AuditEvent.objects.filter(seq__gt=last)
            .order_by("seq")
            .values_list(*_FIELDS)[:page_size]
        )
        yield from page
        if len(page) < page_size:
            return
        last = page[-1][0]


def verify_chain(*, page_size: int = PAGE_SIZE) -> ChainReport:
    """Walk the whole chain in seq order and report the first broken link.

    Checks, for each event: its seq follows the previous one without a gap,
    its prev_hash is the previous event's hash, and its hash recomputes from
    its fields. At the end the chain head row must point at the last event
    (so events cut off the end are noticed too). Memory stays constant: the
    rows come in pages of `page_size` by seq.
    """
    labels = _TargetLabels()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for row in _rows(page_size):
        (seq, at, actor, action, ct_id, target_id, target_repr, before, after, summary, ip,
         prev, stored) = row  # fmt: skip
        if seq != expected_seq:
            problem = (
                _("seq %(expected)s hilang (seq tersimpan berikutnya %(seq)s)")
                if seq > expected_seq
                else _("seq %(expected)s berulang atau tidak berurutan (tersimpan %(seq)s)")
            )
            return ChainReport(
                False, count, expected_seq - 1, prev_hash, expected_seq,
                problem % {"expected": expected_seq, "seq": seq},
            )  # fmt: skip
        if prev != prev_hash:
            return ChainReport(
                False, count, seq - 1, prev_hash, seq,
                _("prev_hash %(prev)s... tidak sama dengan hash seq %(before)s (%(hash)s...)")
                % {"prev": prev[:16], "before": seq - 1, "hash": prev_hash[:16]},
            )  # fmt: skip
        computed = event_hash(
            seq=seq, at=at, actor_repr=actor, action=action, target=labels[ct_id],
            target_id=target_id, target_repr=target_repr, before=before, after=after,
            summary=summary, ip=ip, prev_hash=prev,
        )  # fmt: skip
        if computed != stored:
            return ChainReport(
                False, count, seq - 1, prev_hash, seq,
                _("hash tersimpan tidak cocok dengan isi peristiwa (baris telah diubah)"),
            )  # fmt: skip
        prev_hash = stored
        expected_seq += 1
        count += 1

    head = ChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if (head_seq, head_hash) != (count, prev_hash):
        return ChainReport(
            False, count, count, prev_hash, count + 1,
            _("ujung rantai mencatat #%(head)s %(head_hash)s... tetapi peristiwa terakhir "
              "#%(count)s %(hash)s... (peristiwa setelah #%(count)s hilang)")
            % {"head": head_seq, "head_hash": head_hash[:16], "count": count,
               "hash": prev_hash[:16]},
        )  # fmt: skip
    return ChainReport(True, count, count, prev_hash)


def quick_check() -> ChainReport:
    """A constant-time look at the end of the chain, for a page that loads fast.

    The last event's hash must recompute, the head must point at it, and the
    number of events must equal its seq. It does not prove the middle of the
    chain; `verify_chain()` / `lpse audit verify` do.
    """
    head = ChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    last = AuditEvent.objects.order_by("-seq").values_list(*_FIELDS).first()
    count = AuditEvent.objects.count()
    if last is None:
        ok = head_seq == 0
        return ChainReport(ok, 0, head_seq, head_hash, None if ok else 1,
                           "" if ok else _("peristiwa hilang"))  # fmt: skip
    (seq, at, actor, action, ct_id, target_id, target_repr, before, after, summary, ip,
     prev, stored) = last  # fmt: skip
    computed = event_hash(
        seq=seq, at=at, actor_repr=actor, action=action, target=target_label(ct_id),
        target_id=target_id, target_repr=target_repr, before=before, after=after,
        summary=summary, ip=ip, prev_hash=prev,
    )  # fmt: skip
    if computed != stored:
        return ChainReport(False, count, head_seq, head_hash, seq,
                           _("hash tersimpan tidak cocok dengan isi peristiwa"))  # fmt: skip
    if (head_seq, head_hash) != (seq, stored):
        return ChainReport(False, count, head_seq, head_hash, seq + 1,
                           _("ujung rantai tidak menunjuk peristiwa terakhir"))  # fmt: skip
    if count != seq:
        return ChainReport(False, count, head_seq, head_hash, None,
                           _("%(seq)s peristiwa seharusnya, %(count)s tersimpan")
                           % {"seq": seq, "count": count})  # fmt: skip
    return ChainReport(True, count, head_seq, head_hash)
