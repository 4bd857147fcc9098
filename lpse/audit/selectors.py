"""Reading the audit chain (AUD-1)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import AuditEvent


def events_for(target) -> QuerySet[AuditEvent]:
    """The events about one model instance, newest first."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return AuditEvent.objects.filter(target_type=content_type, target_id=str(target.pk)).order_by(
        "-seq"
    )
