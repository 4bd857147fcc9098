"""`lpse ops_probe`: run the monitoring probes now (MON-1..MON-4).

Without arguments every enabled probe runs once. `--due` runs only those whose
interval has passed (what the task queue does every minute). `--watchdog` is for
cron or a systemd timer beside the task queue: it runs the queue probe, so a dead
consumer (no heartbeat) opens an incident even though the consumer cannot.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lpse.ops.probes import REGISTRY
from lpse.ops.runner import run_all, run_due, run_probe


class Command(BaseCommand):
    help = "Menjalankan pemeriksaan pemantauan sekarang (server, situs, basis data, dll.)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kinds", nargs="*", help=f"jenis: {', '.join(REGISTRY)}")
        parser.add_argument("--due", action="store_true", help="hanya yang sudah waktunya")
        parser.add_argument(
            "--watchdog", action="store_true", help="hanya pemeriksaan antrean (dari cron)"
        )

    def handle(self, *args, kinds: list[str], due: bool, watchdog: bool, **options) -> None:
        unknown = [kind for kind in kinds if kind not in REGISTRY]
        if unknown:
            raise CommandError(
                f"Jenis tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(REGISTRY)}"
            )
        if watchdog:
            runs = [run_probe("queue")]
        elif due:
            runs = run_due()
        else:
            runs = run_all(kinds or None)
        for run in runs:
            self.stdout.write(f"{run.kind:10} {run.level:9} {run.duration_ms:5d} ms  {run.summary}")
