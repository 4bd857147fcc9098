"""Benchmark of the public tender list, the SPSE list endpoint and the detail reads (BID-5).

Fills a scratch database (a temporary SQLite file, or the PostgreSQL database given
with --database-url, which must be a disposable one) with 100,000 public tenders of
nine stages each, then times each public read against a primary-key lookup measured
in the same run and prints it as a multiple of that baseline. Filters go through
indexes (status + year, work unit, category, code, name key; the stage filter through
Stage (kind, ends_at)); a page is a constant number of queries whatever the size.

    .venv/bin/python bench/public_tenders.py [--tenders 100000] [--database-url postgres://...]
    (--no-fill times a PostgreSQL database a previous run filled, e.g. after a code change)
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from scratch import setup, timed

UNUSABLE = "!"  # Django's mark of an unusable password
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORDS = ["Jalan", "Gedung", "Laptop", "Jembatan", "Drainase", "Sekolah", "Puskesmas", "Pasar"]
PLACES = ["Cikupa", "Balaraja", "Tigaraksa", "Pasar Kemis", "Curug", "Kelapa Dua", "Sepatan"]
CATEGORIES = ["goods", "construction", "consultancy", "other_services"]
METHODS = ["tender", "tender", "quick_tender", "selection", "direct_procurement"]
# (kind, start offset in days, length in days)
PLAN = [
    ("announcement", 0, 5),
    ("download", 0, 12),
    ("clarification", 3, 1),
    ("bid_upload", 5, 7),
    ("bid_opening", 12, 1),
    ("evaluation", 13, 4),
    ("winner_announcement", 17, 1),
    ("objection", 18, 5),
    ("contract", 23, 3),
]


def fill(count: int, now: datetime) -> None:
    from django.db import transaction

    from lpse.accounts.models import User, WorkUnit
    from lpse.tenders.models import Participant, Stage, Tender, tender_name_key
    from lpse.vendors.models import Vendor

    creator = User.objects.create(username="pokja_bench", password=UNUSABLE)
    units = WorkUnit.objects.bulk_create(
        WorkUnit(code=f"B.{n:03d}", name=f"Dinas Uji Bench {n:03d}") for n in range(60)
    )
    vendor_users = User.objects.bulk_create(
        User(username=f"penyedia_bench{n}", password=UNUSABLE) for n in range(40)
    )
    vendors = Vendor.objects.bulk_create(
        Vendor(
            user=user,
            name=f"PT Bench {n:02d}",
            legal_form="pt",
            tax_id=f"{n:015d}",
            address="Jl. Uji",
            city="Tangerang",
            phone="021",
            director_name="Direktur",
            director_id_number="3603000000000000",
            email=f"b{n}@bench.test",
            status="verified",
            registration_number=f"REG-BENCH-{n:04d}",
            verification_deadline=now,
        )
        for n, user in enumerate(vendor_users)
    )
    batch = 5000
    for first in range(0, count, batch):
        with transaction.atomic():
            tenders = []
            for n in range(first, min(first + batch, count)):
                name = (
                    f"Pembangunan {WORDS[n % 8]} {PLACES[(n // 8) % 7]} "
                    f"Paket {n:06d} Tahun {2022 + n % 5}"
                )
                start = now - timedelta(days=(count - n) * 365 * 4 // count)
                tenders.append(
                    Tender(
                        code=f"{10_000_000 + n}",
                        name=name,
                        name_key=tender_name_key(name),
                        work_unit=units[n % len(units)],
                        budget_year=2022 + n % 5,
                        hps=Decimal(100_000_000 + n * 1000),
                        method=METHODS[n % len(METHODS)],
                        category=CATEGORIES[n % 4],
                        status="closed" if start < now - timedelta(days=40) else "announced",
                        created_by=creator,
                        created_at=start,
                        announced_at=start,
                        closed_at=start + timedelta(days=30)
                        if start < now - timedelta(days=40)
                        else None,
                    )
                )
            Tender.objects.bulk_create(tenders)
            stages = []
            participants = []
            for tender in tenders:
                start = tender.announced_at
                for position, (kind, offset, days) in enumerate(PLAN):
                    stages.append(
                        Stage(
                            tender=tender,
                            kind=kind,
                            position=position,
                            starts_at=start + timedelta(days=offset),
                            ends_at=start + timedelta(days=offset + days),
                        )
                    )
                n = int(tender.code) - 10_000_000
                for v in range(n % 4):
                    participants.append(
                        Participant(tender=tender, vendor=vendors[(n + v) % len(vendors)])
                    )
            Stage.objects.bulk_create(stages)
            Participant.objects.bulk_create(participants)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenders", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--queries", action="store_true", help="print each case's SQL and time")
    parser.add_argument(
        "--no-fill", action="store_true", help="time a database this script already filled"
    )
    parser.add_argument(
        "--max-ratio", type=float, default=100.0, help="fail when a read is slower than this"
    )
    args = parser.parse_args()
    setup(args.database_url)
    from django.core.paginator import Paginator
    from django.db import connection

    from lpse.tenders import ocds, spse_selectors
    from lpse.tenders.models import Tender
    from lpse.tenders.public_selectors import PublicFilter, get_public_tender, search

    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    if args.no_fill:
        args.tenders = Tender.objects.filter(code__startswith="1").count()
    else:
        fill(args.tenders, now)
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM sets the visibility map (index-only counts), as autovacuum would.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{args.tenders} tenders on {connection.vendor} in {time.perf_counter() - started:.1f} s")
    middle = f"{10_000_000 + args.tenders // 2}"
    pk = Tender.objects.get(code=middle).pk
    unit_id = Tender.objects.get(pk=pk).work_unit_id

    def page(criteria: PublicFilter, number: int = 1):
        def run():
            paginator = Paginator(search(criteria, now=now), 25)
            items = list(paginator.get_page(number))
            return paginator.count, [t.stage_label(now) for t in items]

        return run

    def datatable(**params):
        query = spse_selectors.DataTableQuery.from_params(
            {"length": "25", "order[0][column]": "0", "order[0][dir]": "desc", **params}
        )
        return lambda: spse_selectors.datatable("lelang", query, now=now)

    baseline = timed(lambda: Tender.objects.get(pk=pk), repeat=200)
    print(f"baseline primary-key lookup: {baseline * 1000:.3f} ms")
    cases = {
        "list page 1 (no filter)": page(PublicFilter()),
        "list page 200": page(PublicFilter(), 200),
        "search code": page(PublicFilter(q=middle)),
        "search word 'drainase'": page(PublicFilter(q="drainase")),
        "search two words": page(PublicFilter(q="jembatan cikupa")),
        "search no match": page(PublicFilter(q="tidakadapaketini")),
        "work unit": page(PublicFilter(work_unit_id=unit_id)),
        "category + year": page(PublicFilter(category="goods", year=2024)),
        "stage running: bid upload": page(PublicFilter(stage="bid_upload")),
        "stage: closed": page(PublicFilter(stage="selesai")),
        "SPSE /dt/lelang page 1": datatable(),
        "SPSE /dt/lelang search": datatable(**{"search[value]": "puskesmas"}),
        "SPSE /dt/lelang by HPS": datatable(**{"order[0][column]": "4"}),
        "detail (all relations)": lambda: get_public_tender(middle),
        "OCDS releases of one tender": lambda: ocds.releases(get_public_tender(middle)),
    }
    worst = 0.0
    for label, run in cases.items():
        if args.queries:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                run()
            for query in captured.captured_queries:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        seconds = timed(run, repeat=20)
        ratio = seconds / baseline
        worst = max(worst, ratio)
        print(f"{label:<30} {seconds * 1000:9.3f} ms  {ratio:8.1f} x baseline")
    print(f"worst: {worst:.1f} x baseline (limit {args.max_ratio:.0f} x)")
    return 0 if worst <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
