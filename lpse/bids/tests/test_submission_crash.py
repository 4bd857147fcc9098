"""BID-2 crash safety: a real server (gunicorn on the embedded SQLite, temp DATA_DIR) is
SIGKILLed in the middle of a browser upload; after a restart there is no bid, the vendor's
connection failed (no receipt), and the cleanup command removes the partial file."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import time
import uuid

import pytest

from .live import env_for, free_port, run, setup_server_data, start_server

pytestmark = pytest.mark.slow


def multipart_head(boundary: str, name: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()


def request_head(port, code, vendor, boundary, length) -> bytes:
    return (
        f"POST /penawaran/{code}/unggah/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: sessionid={vendor['session']}; csrftoken={vendor['csrf']}\r\n"
        f"X-CSRFToken: {vendor['csrf']}\r\nAccept: application/json\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def upload(port, code, vendor, size: int, *, stop_after: int | None = None):
    """Send a multipart upload of `size` bytes; with `stop_after`, return the open socket after
    sending that many file bytes (the caller kills the server)."""
    boundary = uuid.uuid4().hex
    head = multipart_head(boundary, "penawaran.pdf")
    tail = f"\r\n--{boundary}--\r\n".encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(request_head(port, code, vendor, boundary, len(head) + size + len(tail)))
    sock.sendall(head)
    block = b"%PDF-1.4 " + os.urandom(1024 * 1024 - 9)
    sent = 0
    while sent < size:
        if stop_after is not None and sent >= stop_after:
            return sock
        piece = block[: min(len(block), size - sent)]
        sock.sendall(piece)
        sent += len(piece)
    sock.sendall(tail)
    response = b""
    while chunk := sock.recv(65536):
        response += chunk
    sock.close()
    return response


def bid_count(data_dir) -> int:
    with sqlite3.connect(data_dir / "lpse.sqlite3") as db:
        return db.execute("select count(*) from bids_bid").fetchone()[0]


def wait_for_partial(data_dir, minimum: int, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        parts = list((data_dir / "bids" / "tmp").glob("seal-*.part"))
        if parts and parts[0].stat().st_size >= minimum:
            return parts[0]
        time.sleep(0.1)
    raise AssertionError("the server did not start sealing the upload")


def test_killed_server_mid_upload_leaves_no_bid_and_cleanup_removes_the_partial(tmp_path):
    """BID-2: kill -9 of the web server mid-upload: no submitted bid, the client got no receipt,
    the restarted server accepts uploads, `lpse bids_cleanup` removes the orphan."""
    env = env_for(tmp_path)
    data = setup_server_data(env, 1)
    vendor, code = data["vendors"][0], data["tender"]
    port = free_port()
    server = start_server(env, port, threads=2)
    try:
        sock = upload(port, code, vendor, 64 * 1024 * 1024, stop_after=24 * 1024 * 1024)
        partial = wait_for_partial(tmp_path, 8 * 1024 * 1024)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        sock.settimeout(10)
        try:
            answer = sock.recv(65536)
        except OSError:
            answer = b""
        sock.close()
        assert b"receipt" not in answer  # the vendor saw a failure, not a receipt
        assert bid_count(tmp_path) == 0
        assert partial.exists()
        assert not list((tmp_path / "bids").glob("sealed/*/*.p7m"))

        server = start_server(env, port, threads=2)
        response = upload(port, code, vendor, 2 * 1024 * 1024)
        assert b" 201 " in response.split(b"\r\n", 1)[0], response[:500]
        body = json.loads(response.split(b"\r\n\r\n", 1)[1])
        assert body["receipt"].startswith(f"TT-{code}-")
        assert bid_count(tmp_path) == 1
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    out = run(["-m", "lpse.cli", "bids_cleanup", "--grace-seconds", "0"], env)
    assert "sementara=1" in out
    assert not partial.exists()
    assert len(list((tmp_path / "bids").glob("sealed/*/*.p7m"))) == 1  # the real bid stays
