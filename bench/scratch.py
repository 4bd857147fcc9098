"""What the database benchmarks share: a scratch installation and a median timer.

`setup()` points LPSE at a temporary data directory and a scratch database (a
temporary SQLite file, or a disposable PostgreSQL database given by URL), starts
Django and migrates. `timed()` is the median of `repeat` runs after one warm run.
The benches import it as a sibling module (`python bench/<name>.py`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time


def setup(database_url: str | None) -> None:
    scratch = tempfile.mkdtemp(prefix="lpse-bench-")
    os.environ["LPSE_DATA_DIR"] = scratch
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpse.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(run, repeat: int = 50) -> float:
    """Median seconds of `repeat` calls of `run`, after one warm-up call."""
    run()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
