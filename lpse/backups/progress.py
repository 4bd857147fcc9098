"""A progress bar on the terminal (stderr, only when it is a TTY)."""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, title: str, total: int, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.title = title
        self.total = max(total, 0)
        self.done = 0
        self.started = time.monotonic()
        self._shown = 0.0
        self._lock = threading.Lock()

    def advance(self, amount: int) -> None:
        with self._lock:
            self.done += amount
            now = time.monotonic()
            if self.enabled and now - self._shown >= 0.2:
                self._shown = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed / 1e6
        if self.total:
            fraction = min(self.done / self.total, 1.0)
            filled = int(fraction * 30)
            bar = "#" * filled + "-" * (30 - filled)
            text = f"\r{self.title} [{bar}] {fraction:6.1%} {self.done / 1e6:,.0f}/"
            text += f"{self.total / 1e6:,.0f} MB {rate:,.0f} MB/s"
        else:
            text = f"\r{self.title} {self.done / 1e6:,.0f} MB {rate:,.0f} MB/s"
        self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
