"""Task queue (MON-2): pending and scheduled tasks, and whether the consumer is alive
(its heartbeat, written every minute by the `ops_tick` periodic task)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "queue"
LABEL = gettext_lazy("Antrean tugas")
DEFAULT_INTERVAL = 60


def collect(previous=None) -> Result:
    from huey.contrib.djhuey import HUEY

    from ..selectors import heartbeat_age

    result = Result()
    result.values[series.key("queue_pending_tasks")] = float(HUEY.pending_count())
    result.values[series.key("queue_scheduled_tasks")] = float(HUEY.scheduled_count())
    age = heartbeat_age()
    alive = age is not None and age <= settings.LPSE_OPS_HEARTBEAT_SECONDS
    if age is not None:
        result.values[series.key("queue_heartbeat_age_seconds")] = age
    result.values[series.key("queue_consumer_up")] = 1.0 if alive else 0.0
    pending = int(result.values[series.key("queue_pending_tasks")])
    if alive:
        result.summary = _("Pekerja hidup; %(count)d tugas menunggu.") % {"count": pending}
    elif age is None:
        result.summary = _("Pekerja antrean belum pernah berdetak; %(count)d tugas menunggu.") % {
            "count": pending
        }
    else:
        result.summary = _("Pekerja antrean mati: detak terakhir %(minutes).0f menit lalu.") % {
            "minutes": age / 60
        }
    return result
