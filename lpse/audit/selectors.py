"""Reading the audit chain (AUD-1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def events_for(target) -> QuerySet[AuditEvent]:
    """The events about one model instance, newest first."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return AuditEvent.objects.filter(target_type=content_type, target_id=str(target.pk)).order_by(
        "-seq"
    )


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def event_diff(event: AuditEvent) -> list[Change]:
    """Field by field before/after of an event, changed fields first, values as text."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if event.before is not None and not isinstance(event.before, dict):
        before = {"": event.before}
    if event.after is not None and not isinstance(event.after, dict):
        after = {"": event.after}
    names = sorted(set(before) | set(after))
    changes = [Change(name, _shown(before.get(name)), _shown(after.get(name))) for name in names]
    return sorted(changes, key=lambda change: not change.changed)


def search_events(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching the list page's filters, newest first.

    `action` matches a whole code or a prefix ("sop." for every SOP action);
    `actor` is the kept actor text (user name), case-insensitive; `target`
    is either "app_label.model:id" or a piece of the target's text; the dates
    are local (WIB) days, both inclusive.
    """
    events = AuditEvent.objects.select_related("target_type").order_by("-seq")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_repr__iexact=actor)
    if target:
        label, _, pk = target.partition(":")
        app_label, dot, model = label.partition(".")
        if pk and dot:
            events = events.filter(
                target_type__app_label=app_label, target_type__model=model.lower(), target_id=pk
            )
        else:
            events = events.filter(target_repr__icontains=target)
    tz = timezone.get_default_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time(0), tzinfo=tz))
    if until:
        next_day = until + timedelta(days=1)
        events = events.filter(at__lt=datetime.combine(next_day, time(0), tzinfo=tz))
    return events


def last_full_verification() -> AuditEvent | None:
    """The latest `audit.verify` event: who checked the whole chain, when, with what result."""
    return AuditEvent.objects.filter(action="audit.verify").order_by("-seq").first()
