"""Benchmark of the verification desk queue with 100,000 vendors (REG-4).

Fills a scratch database (a temporary SQLite file, or the PostgreSQL database
given with --database-url, which must be a disposable one) with 100,000
vendors, then times the desk's searches against a primary-key lookup measured
in the same run, and prints each as a multiple of that baseline. With the
indexes (name prefix, NPWP, registration number, User ID, status+deadline)
every search is an index seek: a few times the baseline, not thousands.

    .venv/bin/python bench/desk_queue.py [--vendors 100000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

from scratch import setup, timed

UNUSABLE = "!"  # Django's mark of an unusable password
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from lpse.accounts.models import User
    from lpse.vendors.models import Vendor, name_key

    words = ["Maju", "Jaya", "Sentosa", "Karya", "Abadi", "Bangun", "Sinar", "Mandiri", "Nusa"]
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(username=f"penyedia{n:06d}", password=UNUSABLE, email=f"p{n}@bench.test")
                    for n in range(start, min(start + batch, count))
                ]
            )
            vendors = []
            for user in users:
                n = int(user.username[8:])
                name = f"PT {words[n % 9]} {words[(n // 9) % 9]} {n:06d}"
                vendors.append(
                    Vendor(
                        user=user,
                        name=name,
                        search_name=name_key(name),
                        legal_form="pt",
                        tax_id=f"{n:015d}",
                        address="Jl. Uji",
                        city="Tangerang",
                        phone="021",
                        director_name="Direktur",
                        director_id_number="3603000000000000",
                        email=f"p{n}@bench.test",
                        status="pending" if n % 4 else "verified",
                        registration_number=f"REG-2026-{n:06d}",
                        registered_at=now,
                        verification_deadline=now + timedelta(minutes=n % 10000),
                    )
                )
            Vendor.objects.bulk_create(vendors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--max-ratio", type=float, default=50.0, help="fail when a search is slower than this"
    )
    args = parser.parse_args()
    setup(args.database_url)
    from django.core.paginator import Paginator
    from django.db import connection

    from lpse.vendors.models import Vendor
    from lpse.vendors.selectors import desk_queue

    started = time.perf_counter()
    fill(args.vendors)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.vendors} vendors on {connection.vendor} in {time.perf_counter() - started:.1f} s")
    middle = args.vendors // 2 + 1  # pending (odd remainder mod 4)
    pk = Vendor.objects.get(registration_number=f"REG-2026-{middle:06d}").pk

    def page(query: str):
        return lambda: list(Paginator(desk_queue(query), 25).get_page(1))

    baseline = timed(lambda: Vendor.objects.get(pk=pk), repeat=200)
    print(f"baseline primary-key lookup: {baseline * 1000:.3f} ms")
    worst = 0.0
    cases = {
        "queue page 1 (no search)": page(""),
        "name prefix 'sinar mandiri'": page("sinar mandiri"),
        "name prefix 'PT Nusa Abadi 0'": page("PT Nusa Abadi 0"),
        "NPWP": page(f"{middle:015d}"),
        "registration number": page(f"REG-2026-{middle:06d}"),
        "User ID": page(f"penyedia{middle:06d}"),
        "no match": page("tidak ada perusahaan"),
    }
    for label, run in cases.items():
        seconds = timed(run, repeat=50)
        ratio = seconds / baseline
        worst = max(worst, ratio)
        print(f"{label:<32} {seconds * 1000:8.3f} ms  {ratio:7.1f} x baseline")
    print(f"worst: {worst:.1f} x baseline (limit {args.max_ratio:.0f} x)")
    return 0 if worst <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
