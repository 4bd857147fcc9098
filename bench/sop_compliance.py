"""Benchmark of the SOP-3 compliance report over a year of finished steps.

Fills a scratch database (a temporary SQLite file, or the PostgreSQL database
given with --database-url, which must be a disposable one) with a year of
finished step runs of SOP 1.1 (working-day, working-hour and elapsed-time
standards, so the working-time arithmetic is exercised) spread over 20
officers, then times

- the baseline: reading the year's runs with their cases and officers as
  plain values in one query, the columns the report reads, and doing nothing
  with them (the floor any report has to pay);
- `compliance_report` for the year, the quarter and the month (what the page
  computes: per step and per officer, with the missed runs);
- `compliance_by_procedure` for the month (the head's summary headline);

prints each as a multiple of the baseline, and the queries each one makes
(constant: it must not grow with the runs).

    .venv/bin/python bench/sop_compliance.py [--runs 20000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scratch import setup, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UNUSABLE = "!"  # Django's mark of an unusable password
WIB = ZoneInfo("Asia/Jakarta")


def fill(count: int) -> None:
    """`count` finished runs of SOP 1.1 steps 7, 8 and 9 in 2026, one case each."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from lpse.accounts.models import User
    from lpse.core.calendar import one_reading
    from lpse.sop.models import Case, Step, StepRun
    from lpse.sop.services import load_procedures

    load_procedures()
    officers = User.objects.bulk_create(
        [User(username=f"petugas{n:02d}", password=UNUSABLE) for n in range(20)]
    )
    steps = {step.number: step for step in Step.objects.filter(procedure__code="1.1")}
    content_type = ContentType.objects.get_for_model(User)
    rng = random.Random(2026)  # reproducible bench data
    shapes = [  # (step, typical length, spread)
        (steps[7], timedelta(days=6), timedelta(days=6)),
        (steps[8], timedelta(hours=3), timedelta(hours=4)),
        (steps[9], timedelta(minutes=25), timedelta(minutes=20)),
    ]
    year = datetime(2026, 1, 1, tzinfo=WIB)
    batch = 2000
    with one_reading():
        for first in range(0, count, batch):
            cases, runs = [], []
            for n in range(first, min(first + batch, count)):
                step, typical, spread = shapes[n % 3]
                started = year + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
                ended = started + typical + spread * (rng.random() - 0.5)
                officer = officers[n % len(officers)]
                cases.append(
                    Case(
                        procedure_id=step.procedure_id,
                        content_type=content_type,
                        object_id=str(officer.pk),
                        title=f"Kasus {n}",
                        status="closed",
                        opened_at=started,
                        closed_at=ended,
                    )
                )
                runs.append((step, started, ended, officer))
            with transaction.atomic():
                Case.objects.bulk_create(cases)
                StepRun.objects.bulk_create(
                    [
                        StepRun(
                            case=case,
                            step=step,
                            started_at=started,
                            started_by=officer,
                            ended_at=ended,
                            ended_by=officer,
                            due_at=step.standard.due(started),
                        )
                        for case, (step, started, ended, officer) in zip(cases, runs, strict=True)
                    ]
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lpse.sop.compliance import _ROW_FIELDS as ROW_FIELDS
    from lpse.sop.compliance import compliance_by_procedure, compliance_report
    from lpse.sop.models import StepRun
    from lpse.sop.periods import Period

    started = time.perf_counter()
    fill(args.runs)
    print(
        f"{args.runs} finished runs on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )
    year, quarter, month = Period.year(2026), Period.quarter(2026, 2), Period.month(2026, 3)

    def read(period):
        start, end = period.bounds()
        return lambda: list(
            StepRun.objects.filter(ended_at__gte=start, ended_at__lt=end)
            .order_by()
            .values_list(*ROW_FIELDS)
        )

    baseline = timed(read(year), args.repeat)
    print(f"baseline: read the year's runs, cases and officers as values: {baseline * 1000:.1f} ms")
    cases = {
        "compliance_report, year": lambda: compliance_report(*year.bounds()),
        "compliance_report, quarter": lambda: compliance_report(*quarter.bounds()),
        "compliance_report, month": lambda: compliance_report(*month.bounds()),
        "compliance_by_procedure, month": lambda: compliance_by_procedure(*month.bounds()),
    }
    for label, run in cases.items():
        seconds = timed(run, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            run()
        print(
            f"{label:<32} {seconds * 1000:9.1f} ms  {seconds / baseline:6.1f} x baseline"
            f"  {len(queries.captured_queries)} queries"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
