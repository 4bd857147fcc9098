"""Deadline rush benchmark (BID-2): N concurrent vendors each upload a bid of M MB through
the browser upload path (sealed by the server while it streams in) to one running server.

Setup (embedded default): `lpse setup` on SQLite in a temporary LPSE_DATA_DIR, a tender whose
upload stage runs now with a 2-of-3 key, N joined vendors; then gunicorn (`lpse serve`'s
server) on a free port. With --database-url the same runs on that PostgreSQL database, which
must be a disposable one (it is flushed first).

1. Baseline: the same N uploads, same concurrency, into a plain file sink endpoint (Django's
   multipart parser -> temp file + fsync; enabled only by LPSE_BENCH_SINK=1, never in
   production).
2. The real thing: every upload must get 201 and a receipt whose per-file SHA-256 and size are
   the vendor's own; anything else is counted as an error with its message.
3. Every bid is then opened (the Pokja's 2 passphrases, clock moved to the opening stage) and
   each opened ZIP's file is compared byte-for-byte (SHA-256) with what the vendor sent.

Prints both throughputs and their ratio (target >= 0.5).

    .venv/bin/python bench/bid_rush.py [--vendors 200] [--size-mb 5] [--workers 2]
        [--threads 16] [--database-url postgres://postgres@127.0.0.1:5432/scratch]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lpse.bids.tests.live import env_for, free_port, run, setup_server_data, start_server  # noqa: E402

PIECE = 256 * 1024


def payload(index: int, block: bytes) -> tuple[bytes, str]:
    """A vendor's bid: its own 64-byte header + the shared random block (distinct SHA-256)."""
    head = f"%PDF-1.4 vendor {index:06d} ".encode().ljust(64, b"#")
    data = head + block[64:]
    return data, hashlib.sha256(data).hexdigest()


def post(port: int, path: str, headers: dict[str, str], data: bytes) -> tuple[int, bytes]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        'filename="penawaran.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.putrequest("POST", path)
        for name, value in {
            **headers,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + len(data) + len(tail)),
            "Accept": "application/json",
        }.items():
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(head)
        view = memoryview(data)
        for offset in range(0, len(data), PIECE):
            conn.send(view[offset : offset + PIECE])
        conn.send(tail)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def rush(count: int, job) -> tuple[float, list]:
    """Run job(i) in `count` threads released together; (seconds, results)."""
    results: list = [None] * count
    gate = threading.Barrier(count + 1)

    def worker(i: int) -> None:
        gate.wait()
        try:
            results[i] = job(i)
        except Exception as exc:
            results[i] = ("error", repr(exc))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--size-mb", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lpse-bid-rush-"))
    extra = {"LPSE_BENCH_SINK": "1"}
    if args.database_url:
        extra["DATABASE_URL"] = args.database_url
    env = env_for(data_dir, **extra)
    if args.database_url:
        run(["-m", "lpse.cli", "migrate", "--no-input"], env)
        run(["-m", "lpse.cli", "flush", "--no-input"], env)
    print(f"Menyiapkan {args.vendors} penyedia di {data_dir} ...", flush=True)
    info = setup_server_data(env, args.vendors)
    code, vendors = info["tender"], info["vendors"]
    size = int(args.size_mb * 1024 * 1024)
    block = os.urandom(size)
    port = free_port()
    server = start_server(env, port, workers=args.workers, threads=args.threads)
    total_mb = args.vendors * size / 1024 / 1024
    try:

        def sink(i: int):
            data, digest = payload(i, block)
            status, body = post(port, "/penawaran/_bench/sink/", {}, data)
            ok = status == 201 and json.loads(body)["sha256"] == digest
            return ("ok", None) if ok else ("error", f"{status} {body[:200]!r}")

        sink_seconds, sink_results = rush(args.vendors, sink)
        sink_errors = [r for r in sink_results if r[0] != "ok"]

        def bid(i: int):
            data, digest = payload(i, block)
            vendor = vendors[i]
            headers = {
                "Cookie": f"sessionid={vendor['session']}; csrftoken={vendor['csrf']}",
                "X-CSRFToken": vendor["csrf"],
            }
            status, body = post(port, f"/penawaran/{code}/unggah/", headers, data)
            if status != 201:
                return ("error", f"{status} {body[:300]!r}")
            return ("ok", vendor["user"], digest, json.loads(body)["bid"], headers, len(data))

        bid_seconds, bid_results = rush(args.vendors, bid)

        def check_receipt(result):
            """After the timed rush: the receipt names this vendor's file, size and SHA-256."""
            if result[0] != "ok":
                return result
            _ok, _user, digest, bid_id, headers, length = result
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", f"/penawaran/tanda-terima/{bid_id}/json/", headers=headers)
            receipt = json.loads(conn.getresponse().read())
            conn.close()
            files = receipt.get("files", [])
            if len(files) != 1 or files[0]["sha256"] != digest or files[0]["size"] != length:
                return ("error", f"receipt does not match the upload: {receipt}")
            return result

        bid_results = [check_receipt(result) for result in bid_results]
        bid_errors = [r for r in bid_results if r[0] != "ok"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    (data_dir / "bench.json").write_text(json.dumps(info))
    opened = json.loads(
        run(["-m", "lpse.bids.tests.live", "open", code, str(data_dir / "bench.json")], env)
        .strip()
        .splitlines()[-1]
    )
    sent = {r[1]: r[2] for r in bid_results if r[0] == "ok"}
    mismatched = []
    for user, digest in sent.items():
        row = opened["results"].get(user)
        if row is None or row["outcome"] != "opened":
            mismatched.append((user, row))
            continue
        with zipfile.ZipFile(data_dir / "bids" / row["plain_name"]) as archive:
            inner = hashlib.sha256(archive.read("penawaran.pdf")).hexdigest()
        if inner != digest:
            mismatched.append((user, "content differs"))

    sink_rate = total_mb / sink_seconds
    bid_rate = len(sent) * size / 1024 / 1024 / bid_seconds
    database = "PostgreSQL" if args.database_url else "SQLite (embedded)"
    print(
        f"\n== Deadline rush: {args.vendors} vendors x {args.size_mb} MB, {database}, "
        f"gunicorn {args.workers} workers x {args.threads} threads, {os.cpu_count()} CPUs"
    )
    print(
        f"baseline file sink : {sink_seconds:7.2f} s  {sink_rate:8.1f} MB/s  "
        f"errors {len(sink_errors)}"
    )
    print(
        f"sealed bid upload  : {bid_seconds:7.2f} s  {bid_rate:8.1f} MB/s  "
        f"receipts {len(sent)}, errors {len(bid_errors)}"
    )
    for error in bid_errors[:5]:
        print(f"   error: {error[1]}")
    print(
        f"opened afterwards  : {opened['opened']} opened, {opened['failed']} failed, "
        f"{len(mismatched)} lost/corrupted"
    )
    ratio = bid_rate / sink_rate if sink_rate else 0.0
    print(f"throughput ratio sealed/sink: {ratio:.2f} (target >= 0.5)")
    ok = ratio >= 0.5 and not mismatched and opened["failed"] == 0
    print("OK" if ok else "BELOW TARGET OR ERRORS")


if __name__ == "__main__":
    main()
