"""GEN-2: `lpse setup` + `lpse serve` bring up the web server and the task worker
on the embedded default, keep data across restarts, and stop cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LPSE_", "DATABASE_URL", "REDIS_URL", "SMTP_URL", "PYTEST"))
    }
    env.update(LPSE_DATA_DIR=str(data_dir), **extra)
    return env


def lpse(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lpse.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def wait_for(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local URL
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_setup_is_idempotent_and_prints_the_generated_password_once(tmp_path):
    env = clean_env(tmp_path)
    first = lpse("setup", env=env)
    assert first.returncode == 0, first.stderr
    assert "Kata sandi:" in first.stdout
    second = lpse("setup", env=env)
    assert second.returncode == 0, second.stderr
    assert "Kata sandi:" not in second.stdout
    assert "sudah ada" in second.stdout
    assert (tmp_path / "lpse.sqlite3").exists()


def test_serve_answers_in_indonesian_and_stops_both_processes_on_ctrl_c(tmp_path):
    env = clean_env(
        tmp_path, LPSE_ADMIN_USER="kepala", LPSE_ADMIN_PASSWORD="sandi-awal-yang-panjang"
    )
    setup = lpse("setup", env=env)
    assert setup.returncode == 0, setup.stderr
    assert "LPSE_ADMIN_PASSWORD" in setup.stdout
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lpse.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        assert b'"ok"' in wait_for(f"http://127.0.0.1:{port}/health/")
        home = wait_for(f"http://127.0.0.1:{port}/").decode()
        assert 'lang="id"' in home
        assert "LPSE Kabupaten Tangerang" in home
        # Ctrl-C only once the worker has started: on a loaded machine it can
        # still be importing when the web server already answers.
        deadline = time.monotonic() + 60
        while not any("consumer" in line.lower() for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert server.returncode == 0, output
    assert "Berhenti." in output
    assert "consumer" in output.lower()  # the huey worker ran beside the web server
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
