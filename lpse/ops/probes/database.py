"""Database (MON-2, MON-4, Lampiran V.1.c): reachable, hanging transactions, lock waits,
size of the database and of its largest tables, rows of the user table."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "database"
LABEL = gettext_lazy("Basis data")
DEFAULT_INTERVAL = 300
LARGEST_TABLES = 5

_PG_SESSIONS = """
SELECT
  count(*) FILTER (WHERE state = 'active' AND now() - xact_start > %(limit)s * interval '1 second'),
  count(*) FILTER (WHERE state LIKE 'idle in transaction%%'
                   AND now() - state_change > %(limit)s * interval '1 second'),
  count(*) FILTER (WHERE wait_event_type = 'Lock')
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""
_PG_TABLES = """
SELECT c.relname, pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = current_schema()
ORDER BY 2 DESC LIMIT %(limit)s
"""


def _sqlite_size() -> float:
    """Pages in use times page size, plus the write-ahead log if there is one."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        size = pages * cursor.fetchone()[0]
    wal = Path(f"{connection.settings_dict['NAME']}-wal")
    return float(size + (wal.stat().st_size if wal.exists() else 0))


def collect(previous=None) -> Result:
    from lpse.accounts.models import User

    result = Result()
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        result.values[series.key("database_up")] = 0.0
        result.summary = _("Basis data tidak menjawab (%(error)s).") % {"error": type(exc).__name__}
        return result
    result.values[series.key("database_up")] = 1.0
    result.values[series.key("database_response_seconds")] = time.perf_counter() - started
    result.values[series.key("database_users")] = float(User.objects.count())
    if connection.vendor == "postgresql":
        limit = settings.LPSE_OPS_LONG_TRANSACTION_SECONDS
        with connection.cursor() as cursor:
            cursor.execute(_PG_SESSIONS, {"limit": limit})
            long_running, idle, waits = cursor.fetchone()
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
            cursor.execute(_PG_TABLES, {"limit": LARGEST_TABLES})
            tables = cursor.fetchall()
        result.values[series.key("database_long_transactions")] = float(long_running)
        result.values[series.key("database_idle_in_transaction")] = float(idle)
        result.values[series.key("database_lock_waits")] = float(waits)
        result.values[series.key("database_size_bytes")] = float(size)
        result.detail["largest_tables"] = [[name, int(bytes_)] for name, bytes_ in tables]
        result.summary = _(
            "PostgreSQL menjawab; %(size).1f MiB; transaksi lama %(long)d, menganggur dalam "
            "transaksi %(idle)d, menunggu kunci %(waits)d."
        ) % {"size": size / 1024**2, "long": long_running, "idle": idle, "waits": waits}
    else:
        size = _sqlite_size()
        result.values[series.key("database_size_bytes")] = size
        result.summary = _("SQLite menjawab; berkas %(size).1f MiB.") % {"size": size / 1024**2}
    return result
