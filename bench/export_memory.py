"""Peak memory and time of the CSV/XLSX exports of a 100,000-row list (RPT-1).

Fills a scratch SQLite database (or the disposable PostgreSQL database given
with --database-url) with 100,000 helpdesk tickets, then measures, each in a
fresh subprocess so that no run inherits another's memory, the export of the
queue filtered to "all statuses" (the selector and columns the page uses):

  iterate      baseline: read every row with .iterator() and compute every cell
  naive        the approach exports must avoid: list(queryset), every cell in a
               list, the whole CSV text built in memory
  csv          lpse.reports.exports.csv_chunks (what the streaming response sends)
  xlsx         lpse.reports.exports.xlsx_file (XlsxWriter constant_memory)
  xlsx-memory  the same workbook with XlsxWriter's default in-memory mode

For each: the tracemalloc peak of Python allocations during the export, the
growth of the process's RSS high-water mark (ru_maxrss) over its value just
before (0 = the export never went past what Django itself had reached) and
that high-water mark, and the time (measured in a separate run without tracemalloc, which
slows Python down). Ratios are against the `iterate` baseline and `naive`
approach of the same run.

    .venv/bin/python bench/export_memory.py [--rows 100000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODES = ("iterate", "naive", "csv", "xlsx", "xlsx-memory")
MB = 1024 * 1024
UNUSABLE = "!"  # Django's mark of an unusable password


def setup(database_url: str, data_dir: str, *, migrate: bool) -> None:
    os.environ["LPSE_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpse.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def fill(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from lpse.accounts.models import User
    from lpse.desk.models import Ticket, Topic

    topics = list(Topic.objects.order_by("pk"))
    officer = User.objects.create(username="petugas_bench", password=UNUSABLE)
    now = timezone.now()
    statuses = ("new", "open", "waiting_lkpp", "answered", "closed")
    batch = 5000
    for start in range(0, count, batch):
        with transaction.atomic():
            Ticket.objects.bulk_create(
                [
                    Ticket(
                        reference=f"HD-2026-{n + 1:06d}",
                        requester_type="vendor",
                        channel=("phone", "email", "web", "walk_in")[n % 4],
                        topic=topics[n % len(topics)],
                        subject=f"Tidak dapat mengunggah dokumen penawaran nomor {n}",
                        question="Mohon bantuan.",
                        requester_name=f"Penanya Perusahaan Sejahtera {n:06d}",
                        search_name=f"penanya perusahaan sejahtera {n:06d}",
                        requester_email=f"penanya{n}@contoh.co.id",
                        requester_phone="0215550000",
                        requester_org="PT Karya Bangun Nusantara",
                        status=statuses[n % 5],
                        queue_at=now - timedelta(minutes=n) if n % 5 < 3 else None,
                        assigned_to=officer if n % 2 else None,
                        received_at=now - timedelta(minutes=n),
                        last_activity_at=now,
                    )
                    for n in range(start, min(start + batch, count))
                ]
            )


def _export_queryset():
    from lpse.desk import selectors

    return selectors.queue(selectors.QueueFilter(status="all"), user=None)


def run_mode(mode: str) -> int:
    """Run one export; return the number of data rows (or bytes) it produced."""
    import csv
    import io

    from lpse.desk.exports import TICKETS
    from lpse.reports import exports

    queryset = _export_queryset()
    columns = TICKETS.columns
    if mode == "iterate":
        rows = 0
        for row in queryset.iterator(chunk_size=exports.CHUNK_SIZE):
            for column in columns:
                exports.cell(column.value(row))
            rows += 1
        return rows
    if mode == "naive":
        table = [[exports.csv_text(c.value(row)) for c in columns] for row in list(queryset)]
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table)
        return len(buffer.getvalue().encode())
    if mode == "csv":
        return sum(len(chunk) for chunk in exports.csv_chunks(columns, queryset))
    if mode == "xlsx":
        with exports.xlsx_file(TICKETS, queryset) as handle:
            return handle.seek(0, os.SEEK_END)
    if mode == "xlsx-memory":
        with tempfile.TemporaryFile() as handle:
            exports.write_xlsx(handle, TICKETS, queryset, constant_memory=False)
            return handle.seek(0, os.SEEK_END)
    raise ValueError(mode)


def warm_up() -> None:
    """Load what any first request loads (translations, xlsxwriter, the query compiler)."""
    import xlsxwriter  # noqa: F401

    from lpse.desk.exports import TICKETS
    from lpse.reports import exports

    for row in _export_queryset()[:50]:
        [exports.csv_text(column.value(row)) for column in TICKETS.columns]


def child(mode: str, traced: bool) -> dict:
    warm_up()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    produced = run_mode(mode)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "mode": mode,
        "produced": produced,
        "seconds": seconds,
        "peak": peak,
        "rss_growth": max(0, after - before),
        "rss_max": after,
    }


def measure(mode: str, traced: bool, env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *(["--traced"] if traced else [])],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup(os.environ["DATABASE_URL"], os.environ["LPSE_DATA_DIR"], migrate=False)
        print(json.dumps(child(args.child, args.traced)))
        return 0

    scratch = tempfile.mkdtemp(prefix="lpse-bench-")
    database_url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    setup(database_url, scratch, migrate=True)
    from django.db import connection

    started = time.perf_counter()
    fill(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.rows} tickets on {connection.vendor} in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "DATABASE_URL": database_url, "LPSE_DATA_DIR": scratch}

    results = {}
    for mode in MODES:
        traced = measure(mode, True, env)
        plain = measure(mode, False, env)
        results[mode] = {
            **traced,
            "seconds": plain["seconds"],
            "rss_growth": plain["rss_growth"],
            "rss_max": plain["rss_max"],
        }

    base, naive = results["iterate"], results["naive"]
    per_100k = 100_000 / args.rows
    print(
        f"{'mode':<12} {'peak (MB)':>10} {'x iterate':>10} {'x naive':>8} "
        f"{'RSS+ (MB)':>10} {'RSS max':>8} {'seconds':>8} {'s/100k':>7} {'output':>14}"
    )
    for mode, result in results.items():
        print(
            f"{mode:<12} {result['peak'] / MB:10.1f} {result['peak'] / base['peak']:10.2f} "
            f"{result['peak'] / naive['peak']:8.3f} {result['rss_growth'] / MB:10.1f} "
            f"{result['rss_max'] / MB:8.1f} "
            f"{result['seconds']:8.2f} {result['seconds'] * per_100k:7.2f} "
            f"{result['produced']:>14,}"
        )
    streaming_ok = all(results[mode]["peak"] < naive["peak"] / 10 for mode in ("csv", "xlsx"))
    print(
        "csv and xlsx peak below a tenth of the naive export: " + ("yes" if streaming_ok else "NO")
    )
    return 0 if streaming_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
