"""Cost of monitoring (MON-1, issue 7 item 2): CPU time of one full sampling round.

Every probe runs once per round (host, website, outbound, database, queue, mail,
access), storing its run and applying its thresholds, against a scratch SQLite
database (or the disposable PostgreSQL database given with --database-url) that
already holds `--history` minutes of host samples, so the disk-trend fit reads a
realistic history. The baseline is one minute of wall time on one core: sampling
every minute must cost under 1 % of it. Printed: CPU seconds per round (this
process, all threads) and the ratio to 60 s. With PostgreSQL the server's own
CPU is not counted (it is in another process); SQLite runs in-process.

    .venv/bin/python bench/probe_cost.py [--rounds 20] [--history 360] [--database-url ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from scratch import setup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill_history(minutes: int) -> None:
    """Copies of one real host run, one per minute back in time."""
    from datetime import timedelta

    from django.utils import timezone

    from lpse.ops.models import ProbeRun
    from lpse.ops.runner import run_probe

    sample = run_probe("host")
    now = timezone.now()
    ProbeRun.objects.bulk_create(
        [
            ProbeRun(kind="host", at=now - timedelta(minutes=back), values=sample.values)
            for back in range(1, minutes + 1)
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--history", type=int, default=360, help="minutes of host history")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    from lpse.ops.runner import run_all

    fill_history(args.history)
    run_all()  # warm-up: imports, first connections, threshold rows
    cpu, wall = [], []
    for _ in range(args.rounds):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        run_all()
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    per_round = statistics.median(cpu)
    baseline = 60.0  # one minute of one core
    ratio = per_round / baseline
    print(f"rounds: {args.rounds}, host history: {args.history} min")
    print(f"baseline: one minute of one core = {baseline:.1f} s CPU")
    wall_ms = statistics.median(wall) * 1000
    print(f"one sampling round: CPU {per_round * 1000:.1f} ms (median), wall {wall_ms:.1f} ms")
    print(f"ratio round CPU / minute: {ratio:.5f} ({ratio * 100:.3f} % of one core)")
    print("OK: under 1 %" if ratio < 0.01 else "OVER BUDGET: 1 % of one core exceeded")
    sys.exit(0 if ratio < 0.01 else 1)


if __name__ == "__main__":
    main()
