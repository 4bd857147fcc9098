"""Health endpoints for load balancers (issue 7 item 8).

`/healthz`: the process answers. No database, no authentication, no secrets.
`/readyz`: the database answers a query and the task queue's storage answers;
503 otherwise. The body says which part failed, nothing more.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readyz: database not reachable", exc_info=True)
        return False
    return True


def _queue_ok() -> bool:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception:  # any storage error (Redis down, SQLite file unreadable)
        logger.warning("readyz: task queue storage not reachable", exc_info=True)
        return False
    return True


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "queue": _queue_ok()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable"}
    body.update({name: "ok" if ok else "fail" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if ready else 503)
