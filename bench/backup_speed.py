"""Benchmark of `lpse backup create` against `tar | zstd` of the same files (BAK-1).

Generates N stored files totalling --size-mb (default 2000 MB: sealed bids are
random bytes, company documents partly compressible), then times, to the same
disk and in the same run:

  baseline  tar -cf - DIR | zstd -q -3 -o out.tar.zst
  first     lpse backup create (empty medium: hash, compress, fsync every object)
  second    lpse backup create again, nothing changed

and prints first/baseline (target: <= 2.0, i.e. at least 50% of tar|zstd's
speed) and second/first (target: < 0.10).

    .venv/bin/python bench/backup_speed.py [--size-mb 2000] [--files 2000] [--dir /var/tmp]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(scratch: Path) -> None:
    os.environ["LPSE_DATA_DIR"] = str(scratch / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpse.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(media: Path, bids: Path, total_mb: int, files: int) -> int:
    size = total_mb * 1024 * 1024 // files
    text = (b"PASAL 14 Pengarsipan dokumen elektronik LPSE Kabupaten Tangerang. " * 64)[:4096]
    written = 0
    for index in range(files):
        if index % 3 == 2:  # a company document: half text, half random (scanned image)
            path = media / "dokumen" / f"{index % 100:02d}" / f"{index:06d}.pdf"
            half = size // 2
            body = (text * (half // len(text) + 1))[:half] + os.urandom(size - half)
        else:  # a sealed bid: ciphertext, incompressible
            path = bids / f"{10000000 + index % 50}" / f"{index:06d}.p7m"
            body = os.urandom(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        written += len(body)
    return written


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=2000)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--dir", default=None, help="Scratch folder (the same disk for all).")
    options = parser.parse_args()
    if not shutil.which("zstd"):
        sys.exit("zstd is not installed (Debian package zstd).")
    scratch = Path(tempfile.mkdtemp(prefix="lpse-backup-bench-", dir=options.dir))
    try:
        setup(scratch)
        from django.conf import settings

        from lpse.backups import engine

        media = Path(settings.MEDIA_ROOT)
        bids = Path(getattr(settings, "LPSE_BIDS_DIR", settings.DATA_DIR / "bids"))
        total = generate(media, bids, options.size_mb, options.files)
        os.sync()
        print(f"{options.files} files, {total / 1e6:,.0f} MB in {settings.DATA_DIR}")

        archive = scratch / "out.tar.zst"

        def tar_zstd() -> None:
            subprocess.run(  # noqa: S602 - a fixed pipeline, the baseline
                f"tar -cf - -C {settings.DATA_DIR} media bids | zstd -q -3 -o {archive}",
                shell=True,
                check=True,
            )
            os.sync()

        baseline = timed(tar_zstd)
        archive.unlink()
        medium = str(scratch / "usb")
        first = timed(lambda: engine.create_backup(medium, show_progress=False))
        second = timed(lambda: engine.create_backup(medium, show_progress=False))
        workers = engine.workers()
        print(f"tar | zstd -3            {baseline:8.2f} s  {total / baseline / 1e6:8.0f} MB/s")
        print(f"lpse backup, first       {first:8.2f} s  {total / first / 1e6:8.0f} MB/s")
        print(f"lpse backup, unchanged   {second:8.2f} s  ({workers} worker threads)")
        print(f"first / tar|zstd   = {first / baseline:5.2f}  (target <= 2.00)")
        print(f"second / first     = {second / first:5.3f}  (target <  0.10)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
