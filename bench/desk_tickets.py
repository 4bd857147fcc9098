"""Benchmark of the helpdesk queue with 200,000 tickets (DESK-2, issue 4 item 6).

Fills a scratch database (a temporary SQLite file, or the PostgreSQL database
given with --database-url, which must be a disposable one) with 200,000
tickets, most of them closed as in a real desk's history, then times the
queue's pages against a primary-key lookup measured in the same run and prints
each as a multiple of that baseline. Every filter is an indexed column and a
page reads only its rows (no COUNT), so each page costs a few baselines,
not thousands.

    .venv/bin/python bench/desk_tickets.py [--tickets 200000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

from scratch import setup, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UNUSABLE = "!"


STATUSES = ["closed"] * 16 + ["answered"] * 2 + ["new", "open"]
CHANNELS = ["phone", "phone", "email", "web", "walk_in"]
NAMES = ["Budi", "Sari", "Agus", "Dewi", "Rina", "Joko", "Wati", "Hendra", "Nur"]


def fill(count: int):
    from django.db import transaction
    from django.utils import timezone

    from lpse.accounts.models import User
    from lpse.desk.models import Ticket, Topic

    officers = [User.objects.create(username=f"helpdesk{n}", password=UNUSABLE) for n in range(4)]
    topics = list(Topic.objects.all())
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(start + batch, count)):
            name = f"{NAMES[n % 9]} {NAMES[(n // 9) % 9]} {n:06d}"
            rows.append(
                Ticket(
                    reference=f"HD-2026-{n + 1:06d}",
                    requester_type=("vendor", "committee", "ppk", "agency_admin", "public")[n % 5],
                    channel=CHANNELS[n % 5],
                    topic=topics[n % len(topics)],
                    subject=f"Pertanyaan {n}",
                    question="Pertanyaan uji beban.",
                    requester_name=name,
                    search_name=name.lower(),
                    requester_email=f"p{n}@bench.test" if n % 3 else "",
                    status=STATUSES[n % 20],
                    queue_at=now - timedelta(minutes=count - n)
                    if STATUSES[n % 20] in ("new", "open")
                    else None,
                    assigned_to=officers[n % 4] if n % 7 else None,
                    received_at=now - timedelta(minutes=count - n),
                    last_activity_at=now,
                )
            )
        with transaction.atomic():
            Ticket.objects.bulk_create(rows)
    return officers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--max-ratio", type=float, default=50.0, help="fail when a page is slower than this"
    )
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    from lpse.desk.models import Ticket, Topic
    from lpse.desk.selectors import QueueFilter, active_counts, page_of, queue

    started = time.perf_counter()
    officers = fill(args.tickets)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.tickets} tickets on {connection.vendor} in {time.perf_counter() - started:.1f} s")
    middle = args.tickets // 2
    pk = Ticket.objects.get(reference=f"HD-2026-{middle:06d}").pk
    topic = Topic.objects.order_by("pk").first().pk
    officer = officers[1]

    def page(number=1, **filters):
        return lambda: list(page_of(queue(QueueFilter(**filters), officer), number))

    baseline = timed(lambda: Ticket.objects.get(pk=pk), repeat=200)
    print(f"baseline primary-key lookup: {baseline * 1000:.3f} ms")
    cases = {
        "active queue page 1": page(),
        "active counts per status": active_counts,
        "all statuses page 1": page(status="all"),
        "all statuses page 40": page(40, status="all"),
        "closed, page 1": page(status="closed"),
        "assigned to me, active": page(assigned="me"),
        "unassigned, all": page(status="all", assigned="none"),
        "topic, all": page(status="all", topic=topic),
        "channel e-mail, active": page(channel="email"),
        "ticket reference": page(status="all", query=f"HD-2026-{middle:06d}"),
        "requester name prefix": page(status="all", query="sari joko 0"),
        "requester e-mail": page(status="all", query=f"p{middle + 1}@bench.test"),
        "no match": page(status="all", query="tidak ada penanya"),
    }
    worst = 0.0
    for label, run in cases.items():
        seconds = timed(run)
        ratio = seconds / baseline
        worst = max(worst, ratio)
        print(f"{label:<30} {seconds * 1000:8.3f} ms  {ratio:7.1f} x baseline")
    print(f"worst: {worst:.1f} x baseline (limit {args.max_ratio:.0f} x)")
    return 0 if worst <= args.max_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
