"""BAK-3: a backup killed mid-way leaves no manifest: `list` and `verify` report it,
`restore` refuses it, and the next backup is complete and reuses the finished objects."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

LPSE = [sys.executable, "-m", "lpse.cli"]


def run(arguments, env, **kwargs):
    return subprocess.run(
        [*LPSE, *arguments], env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_killed_backup_is_reported_and_never_offered_for_restore_BAK_3(tmp_path):
    data_dir = tmp_path / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("PYTEST")
    }
    env.update(LPSE_DATA_DIR=str(data_dir), LPSE_REQUIRE_2FA="0")
    assert run(["migrate", "-v0"], env).returncode == 0
    media = data_dir / "media" / "dokumen"
    media.mkdir(parents=True)
    for index in range(300):
        (media / f"{index:03d}.bin").write_bytes(os.urandom(512 * 1024))
    usb = tmp_path / "usb"
    process = subprocess.Popen(
        [*LPSE, "backup", "create", "--to", str(usb), "--no-verify"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    packs = usb / "packs"
    while time.monotonic() < deadline:
        # The first full pack (64 MB) is in place: the run is about half-way.
        if packs.exists() and list(packs.rglob("*.pack")):
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    folders = list((usb / "backups").iterdir())
    assert len(folders) == 1
    killed = folders[0].name
    assert not (folders[0] / "manifest.json").exists()

    listing = run(["backup", "list", str(usb)], env)
    assert listing.returncode == 0
    assert f"{killed}" in listing.stdout and "TIDAK LENGKAP" in listing.stdout
    assert "tidak dapat dipulihkan" in listing.stderr

    verify = run(["backup", "verify", str(usb), killed], env)
    assert verify.returncode != 0 and "tidak lengkap" in verify.stderr
    restore = run(["backup", "restore", str(usb), killed, "--force"], env)
    assert restore.returncode != 0 and "tidak lengkap" in restore.stderr
    latest = run(["backup", "restore", str(usb), "--force"], env)
    assert latest.returncode != 0 and "Tidak ada cadangan lengkap" in latest.stderr

    # The next backup is complete and verified; prune removes the killed run's folder and
    # the pack it finished (no complete manifest references it).
    orphans = {p.name for p in packs.rglob("*.pack")}
    complete = run(["backup", "create", "--to", str(usb)], env)
    assert complete.returncode == 0, complete.stderr
    assert "UTUH" in complete.stdout
    pruned = run(["backup", "prune", str(usb)], env)
    assert pruned.returncode == 0 and "1 cadangan terputus" in pruned.stdout
    assert not orphans & {p.name for p in packs.rglob("*.pack")}
    assert "UTUH" in run(["backup", "verify", str(usb)], env).stdout
    assert not Path(usb / "backups" / killed).exists()
