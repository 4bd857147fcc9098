"""`lpse serve`: the web server and the task-queue consumer together (GEN-2).

Starts gunicorn (static files by whitenoise) and the huey consumer as child
processes. Ctrl-C (SIGINT) or SIGTERM stops both cleanly; if either dies, the
other is stopped and the command exits with an error, so a supervisor notices.
In a scaled-out deployment run them separately instead: `gunicorn lpse.wsgi`
on the app servers and `lpse run_huey` on the workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise CommandError(f"PORT must be a number from 1 to 65535, not {value!r}") from None
    if not 0 < port < 65536:
        raise CommandError(f"PORT must be a number from 1 to 65535, not {value!r}")
    return port


class Command(BaseCommand):
    help = "Menjalankan server web (gunicorn) dan pekerja antrean tugas (huey) bersama."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--bind", default=os.environ.get("LPSE_BIND", "127.0.0.1"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("LPSE_WEB_WORKERS", "2"))
        )

    def handle(self, *args, port: str, bind: str, web_workers: int, **options) -> None:
        address = f"{bind}:{_port(port)}"
        web = [
            sys.executable, "-m", "gunicorn", "lpse.wsgi:application",
            "--bind", address, "--workers", str(web_workers), "--threads", "4",
            "--access-logfile", "-", "--graceful-timeout", "10", "--no-control-socket",
        ]  # fmt: skip
        worker = [sys.executable, "-m", "lpse.cli", "run_huey"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lpse.settings"}
        children = [subprocess.Popen(web, env=env), subprocess.Popen(worker, env=env)]
        host = "127.0.0.1" if bind in {"0.0.0.0", "::"} else bind  # noqa: S104
        self.stdout.write(self.style.SUCCESS(f"LPSE berjalan di http://{host}:{port}/"))
        self.stdout.write("Tekan Ctrl-C untuk berhenti.")

        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            self._stop(children)
        failed = [child for child in children if child.returncode not in (0, -2, -15)]
        if not stopping or failed:
            raise CommandError("Server web atau pekerja berhenti tak terduga; lihat log di atas.")
        self.stdout.write("Berhenti.")

    @staticmethod
    def _stop(children: list[subprocess.Popen]) -> None:
        # gunicorn shuts down gracefully on SIGTERM, the huey consumer on SIGINT
        # (it lets running tasks finish); both may already have Ctrl-C's SIGINT.
        for child, signum in zip(children, (signal.SIGTERM, signal.SIGINT), strict=True):
            if child.poll() is None:
                child.send_signal(signum)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
