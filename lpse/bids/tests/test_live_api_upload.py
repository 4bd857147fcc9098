"""BID-2, GEN-3 end to end on a real server (gunicorn, temp DATA_DIR): the vendor reads the
tender certificate from the API, seals offline with `lpse-seal seal`, uploads with `lpse-seal
upload` through the JSON API and its API token; the receipt is saved and verified; the
committee's opening then opens the bid and finds the plaintext the receipt names."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .live import env_for, free_port, run, setup_server_data, start_server

pytestmark = pytest.mark.slow

CONTENT = b"%PDF-1.4 dokumen penawaran harga dan teknis " * 100_000


def lpse_seal(*args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "lpse-seal"), *args]
    env = {k: v for k, v in os.environ.items() if k not in ("LPSE_TOKEN", "LANG")}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, env=env
    )


def get_json(url: str, token: str) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local URL
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - local URL
        return json.loads(answer.read())


def test_bid2_gen3_seal_upload_via_api_then_the_committee_opens_the_bid(tmp_path):
    """BID-2, GEN-3: seal -> upload via the API (receipt saved, fingerprints ours) -> opening."""
    env = env_for(tmp_path / "data")
    data = setup_server_data(env, 2)
    code, vendor = data["tender"], data["vendors"][0]
    (tmp_path / "data.json").write_text(json.dumps(data))
    port = free_port()
    server = start_server(env, port, threads=4)
    base = f"http://127.0.0.1:{port}"
    work = tmp_path / "vendor"
    work.mkdir()
    try:
        info = get_json(f"{base}/api/v1/tenders/{code}/bid-upload", vendor["token"])
        assert info["can_upload"], info
        (work / "tender.crt").write_text(info["certificate_pem"])
        (work / "penawaran.pdf").write_bytes(CONTENT)
        (work / "token").write_text(vendor["token"])
        sealed = lpse_seal(
            "seal", "--recipient", str(work / "tender.crt"), "--out", str(work / "bid.p7m"),
            str(work / "penawaran.pdf"),
        )  # fmt: skip
        assert sealed.returncode == 0, sealed.stderr
        uploaded = lpse_seal(
            "upload", "--server", base, "--tender", code, "--token-file", str(work / "token"),
            "--chunk-mb", "1", str(work / "bid.p7m"),
        )  # fmt: skip
        assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
        receipts = get_json(f"{base}/api/v1/receipts", data["vendors"][1]["token"])
        assert receipts["count"] == 0  # the other vendor sees none of it
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    receipt = json.loads((work / "bid.p7m.receipt.json").read_bytes())
    envelope = (work / "bid.p7m").read_bytes()
    assert receipt["sealed"]["sha256"] == hashlib.sha256(envelope).hexdigest()
    assert receipt["plain"]["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert receipt["tender"]["code"] == code and receipt["source"] == "presealed"
    assert receipt["receipt"] in uploaded.stdout
    verified = lpse_seal(
        "verify", str(work / "bid.p7m"), "--receipt", str(work / "bid.p7m.receipt.json"),
        "--receipt-signature", str(work / "bid.p7m.receipt.p7s"),
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    opened = json.loads(
        run(["-m", "lpse.bids.tests.live", "open", code, str(tmp_path / "data.json")], env)
        .strip()
        .splitlines()[-1]
    )
    assert opened["opened"] == 1 and opened["failed"] == 0
    result = opened["results"][vendor["user"]]
    assert result["outcome"] == "opened", result
    assert result["receipt_plain_sha256"] == hashlib.sha256(CONTENT).hexdigest()
