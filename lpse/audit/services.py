"""Writing the audit chain (AUD-1).

Every service of every app calls `record()` in its own transaction, as its
LAST write: record() locks the single chain-head row until that transaction
commits or rolls back, so audited transactions queue only for the short time
between their record() call and their commit, and unrelated work (reads,
un-audited writes, everything before record()) runs in parallel. On SQLite
writers are serialised by the database anyway.
"""

from __future__ import annotations

import ipaddress
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise

from .chain import event_hash
from .models import GENESIS_HASH, AuditEvent, ChainHead

SYSTEM_ACTOR = "sistem"


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, FieldFile):
            return o.name or ""
        if isinstance(o, Promise):
            return str(o)
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return super().default(o)


def _json_safe(value):
    """What the database will hand back for `value`: plain JSON types only."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=_Encoder, allow_nan=False))


def snapshot(obj, fields: list[str]) -> dict:
    """A JSON-safe dict of `obj`'s field values, for before/after.

    Foreign keys give the related primary key (field name `x`, not `x_id`),
    many-to-many fields a sorted list of primary keys, dates and times ISO
    strings, decimals strings, files their stored name.
    """
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation and field.concrete:
            value = getattr(obj, field.attname)
        else:
            value = getattr(obj, name)
        data[name] = value
    return _json_safe(data)


def _client_ip(request) -> str:
    if request is None:
        return ""
    from lpse.core.net import client_ip

    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def _actor(actor, request):
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is None:
        return None, SYSTEM_ACTOR
    if isinstance(actor, str):
        return None, actor[:200]
    if not getattr(actor, "pk", None):
        return None, SYSTEM_ACTOR
    return actor, actor.get_username()[:200]


def _locked_head() -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        pass
    # First event ever (or the head row was removed): start it from the last
    # stored event, so a removed head cannot restart the chain at #1.
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last or (0, GENESIS_HASH)
    try:
        with transaction.atomic():
            ChainHead.objects.create(pk=1, seq=seq, hash=last_hash)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs
    return ChainHead.objects.select_for_update().get(pk=1)


def record(
    action: str,
    *,
    actor,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    request=None,
) -> AuditEvent:
    """Append one event to the hash chain, in the caller's transaction.

    `actor` is the acting user (None for the system; a string is kept as the
    actor text, e.g. the attempted user name of a failed login). `target` is
    any saved model instance or None. `before`/`after` are JSON-serialisable
    dicts (see snapshot()). With `request`, the client address is kept, and
    the logged-in user is the actor when `actor` is None.
    """
    if not action or len(action) > 100:
        raise ValueError(f"action must be a short dotted code, not {action!r}")
    before = _json_safe(before)
    after = _json_safe(after)
    actor_obj, actor_repr = _actor(actor, request)
    target_type = None
    target_id = target_repr = ""
    if target is not None:
        if target.pk is None:
            raise ValueError("the audit target must be saved first")
        target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        target_id = str(target.pk)[:64]
        target_repr = str(target)[:300]
    ip = _client_ip(request)
    summary = str(summary)

    with transaction.atomic():
        head = _locked_head()
        seq = head.seq + 1
        at = timezone.now()
        digest = event_hash(
            seq=seq,
            at=at,
            actor_repr=actor_repr,
            action=action,
            target=f"{target_type.app_label}.{target_type.model}" if target_type else "",
            target_id=target_id,
            target_repr=target_repr,
            before=before,
            after=after,
            summary=summary,
            ip=ip,
            prev_hash=head.hash,
        )
        event = AuditEvent(
            seq=seq,
            at=at,
            actor=actor_obj,
            actor_repr=actor_repr,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            before=before,
            after=after,
            summary=summary,
            ip=ip,
            prev_hash=head.hash,
            hash=digest,
        )
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event


def verify_and_record(*, by, request=None):
    """Verify the whole chain and append the result as an `audit.verify` event.

    The walk is read-only and runs before record() takes the chain-head lock,
    so other writers wait only for the final insert.
    """
    from .chain import verify_chain

    report = verify_chain()  # outside the transaction: SQLite would hold its write lock
    with transaction.atomic():
        record(
            "audit.verify",
            actor=by,
            after={
                "ok": report.ok,
                "count": report.count,
                "head_seq": report.head_seq,
                "head_hash": report.head_hash,
                "broken_seq": report.broken_seq,
                "problem": report.problem,
            },
            summary=str(report),
            request=request,
        )
    return report
