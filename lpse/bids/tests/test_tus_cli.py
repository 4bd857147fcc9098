"""BID-2: the vendor's own tools against the real server: `lpse-seal seal` for the tender
certificate downloaded from the server, then `lpse-seal upload` (tus, upload token) makes
the bid; the receipt's fingerprint is the envelope's."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from lpse.tenders.choices import StageKind
from lpse.tenders.tests.helpers import during

from .. import tus_services
from ..choices import BidSource
from ..models import Bid

pytestmark = pytest.mark.django_db(transaction=True)


def lpse_seal(*args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "lpse-seal"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_lpse_seal_seal_and_upload_make_a_bid(live_server, participant, tmp_path):
    """BID-2: seal with the downloaded tender certificate, upload with the token: one bid."""
    tender = participant.tender
    (tmp_path / "tender.crt").write_text(tender.bid_key.certificate_pem)
    (tmp_path / "harga.pdf").write_bytes(b"%PDF-1.4 harga penawaran " * 50_000)
    sealed = lpse_seal(
        "seal", "--recipient", str(tmp_path / "tender.crt"), "--out", str(tmp_path / "bid.p7m"),
        str(tmp_path / "harga.pdf"),
    )  # fmt: skip
    assert sealed.returncode == 0, sealed.stderr
    with time_machine.travel(during(StageKind.BID_UPLOAD, offset_hours=2), tick=True):
        _row, token = tus_services.create_token(label="cli", by=participant.vendor.user)
        uploaded = lpse_seal(
            "upload", "--url", f"{live_server.url}/penawaran/{tender.code}/tus/",
            "--token", token, str(tmp_path / "bid.p7m"),
        )  # fmt: skip
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    bid = Bid.objects.get()
    assert bid.source == BidSource.PRESEALED
    assert bid.sealed_sha256 == hashlib.sha256((tmp_path / "bid.p7m").read_bytes()).hexdigest()
    assert bid.submitted_by == participant.vendor.user
