"""Benchmark of the sealing pipeline against `sha256sum` + `cp` (BID-3).

Seals one file (default 1 GiB of random bytes) from disk to disk through
``lpse.bids.crypto.Sealer`` in a child process: read, MD5 + SHA-256 of the
plaintext, AES-256-GCM, MD5 + SHA-256 of the sealed bytes, write. The
baseline, measured in the same run on the same file, is `sha256sum FILE`
followed by `cp FILE COPY`. Prints the throughput ratio (target >= 0.5) and
the peak RSS of the sealing child (target < 100 MB, whatever the size), and
checks the child's plaintext SHA-256 against sha256sum's.

    .venv/bin/python bench/seal_pipeline.py [--size-mb 1024] [--dir /var/tmp] [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(source: str, dest: str, cert_path: str, mode: str) -> None:
    """Runs in the measured child process: seal (or open) one file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from lpse.bids import crypto

    if mode == "seal":
        certificate = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
        with open(source, "rb") as src, open(dest, "wb") as out:
            sealer = crypto.Sealer(certificate, out)
            while block := src.read(1 << 20):
                sealer.write(block)
            result = sealer.finish()
        output = {"plain_sha256": result.plain.sha256, "sealed_size": result.sealed.size}
    else:
        key = serialization.load_pem_private_key(Path(cert_path).read_bytes(), None)
        with open(source, "rb") as src:
            plain = crypto.open_to_file(src, Path(dest), key)
        output = {"plain_sha256": plain.sha256, "sealed_size": 0}
    output["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(output))


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB (1024)")
    parser.add_argument("--dir", default=None, help="scratch directory (same disk for all)")
    parser.add_argument("--runs", type=int, default=2, help="best of N for each side")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from lpse.bids import keys

    scratch = Path(tempfile.mkdtemp(prefix="lpse-seal-bench-", dir=args.dir))
    try:
        key = keys.generate_key_pair(3072)
        cert_path, key_path = scratch / "tender.crt", scratch / "tender.key"
        cert_path.write_bytes(
            keys.self_signed_certificate(key, "Paket bench", 30).public_bytes(
                keys.serialization.Encoding.PEM
            )
        )
        key_path.write_bytes(keys.private_key_pem(key))
        source = scratch / "bid.bin"
        block = os.urandom(16 << 20)
        with open(source, "wb") as out:
            for i in range(0, args.size_mb, 16):
                out.write(block[: min(16, args.size_mb - i) << 20])
        size = source.stat().st_size

        me = [sys.executable, str(Path(__file__).resolve()), "--child"]
        seal_times, rss_self = [], 0
        for _ in range(args.runs):
            elapsed, output = timed(
                [*me, str(source), str(scratch / "bid.p7m"), str(cert_path), "seal"]
            )
            seal_times.append(elapsed)
            report = json.loads(output)
            rss_self = max(rss_self, report["maxrss_kb"])
        rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # seal children only

        open_elapsed, opened = timed(
            [*me, str(scratch / "bid.p7m"), str(scratch / "opened"), str(key_path), "open"]
        )

        base_times, digest = [], ""
        for _ in range(args.runs):
            hash_time, hashed = timed(["sha256sum", str(source)])
            copy_time, _ = timed(["cp", str(source), str(scratch / "copy.bin")])
            base_times.append(hash_time + copy_time)
            digest = hashed.split()[0]
            (scratch / "copy.bin").unlink()

        assert report["plain_sha256"] == digest, "plaintext SHA-256 differs from sha256sum"
        assert json.loads(opened)["plain_sha256"] == digest, "opened file differs"
        mb = size / 1e6
        seal_best, base_best = min(seal_times), min(base_times)
        ratio = base_best / seal_best
        print(f"file: {mb:.0f} MB in {scratch}")
        print(f"baseline sha256sum + cp: {base_best:.2f} s ({mb / base_best:.0f} MB/s)")
        print(f"sealing pipeline:        {seal_best:.2f} s ({mb / seal_best:.0f} MB/s)")
        print(f"opening (fsync, info):   {open_elapsed:.2f} s ({mb / open_elapsed:.0f} MB/s)")
        print(f"throughput ratio seal / baseline: {ratio:.2f} (target >= 0.50)")
        print(
            f"peak RSS of the sealing child: {rss_children / 1024:.1f} MB "
            f"(self-reported {rss_self / 1024:.1f} MB; target < 100 MB)"
        )
        print(f"opening child peak RSS: {json.loads(opened)['maxrss_kb'] / 1024:.1f} MB")
        ok = ratio >= 0.5 and rss_children < 100 * 1024
        print("RESULT:", "OK" if ok else "BELOW TARGET")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
