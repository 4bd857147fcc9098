"""BID-2, GEN-3: the vendor's own tools against the real server: `lpse-seal seal` for the
tender certificate, then `lpse-seal upload` through the JSON API (upload info, local
recipient check, creation, tus, receipt) makes the bid and saves its verified receipt;
refusals end with a one-line reason and nothing sent."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from lpse.api.services import issue_token
from lpse.tenders.choices import StageKind
from lpse.tenders.tests.helpers import during

from .. import keys, signing
from ..choices import BidSource
from ..models import Bid, TusUpload
from ..selectors import UPLOAD_TOKEN_SCOPES

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT = b"%PDF-1.4 harga penawaran " * 50_000


def lpse_seal(*args: str, **env: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "lpse-seal"), *args]
    environment = {k: v for k, v in os.environ.items() if k not in ("LPSE_TOKEN", "LANG")}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False,
        env={**environment, **env},
    )  # fmt: skip


def seal_for(tmp_path: Path, certificate_pem: str, name: str = "bid.p7m") -> Path:
    (tmp_path / "tender.crt").write_text(certificate_pem)
    (tmp_path / "harga.pdf").write_bytes(CONTENT)
    sealed = lpse_seal(
        "seal", "--recipient", str(tmp_path / "tender.crt"), "--out", str(tmp_path / name),
        "--force", str(tmp_path / "harga.pdf"),
    )  # fmt: skip
    assert sealed.returncode == 0, sealed.stderr
    return tmp_path / name


def token_file(tmp_path: Path, user, scopes=UPLOAD_TOKEN_SCOPES) -> Path:
    _row, secret = issue_token(user, name="cli", scopes=list(scopes), by=user)
    path = tmp_path / "token.txt"
    path.write_text(secret + "\n")
    return path


def in_stage(hours: float = 2):
    return time_machine.travel(during(StageKind.BID_UPLOAD, offset_hours=hours), tick=True)


def test_bid2_gen3_lpse_seal_upload_through_the_api_saves_a_verified_receipt(
    live_server, participant, tmp_path
):
    """BID-2, GEN-3: seal, then `lpse-seal upload --server --tender --token-file`: one bid with
    the envelope's and the plaintext's fingerprints; the receipt is saved beside the envelope
    (JSON exactly as signed + the LPSE's CMS signature) and its fingerprints are ours."""
    tender = participant.tender
    envelope = seal_for(tmp_path, tender.bid_key.certificate_pem)
    with in_stage():
        tokens = token_file(tmp_path, participant.vendor.user)
        uploaded = lpse_seal(
            "upload", "--server", live_server.url, "--tender", tender.code,
            "--token-file", str(tokens), str(envelope),
        )  # fmt: skip
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    bid = Bid.objects.get()
    assert bid.source == BidSource.PRESEALED
    assert bid.sealed_sha256 == hashlib.sha256(envelope.read_bytes()).hexdigest()
    assert bid.plain_sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert bid.submitted_by == participant.vendor.user
    saved = envelope.with_name("bid.p7m.receipt.json").read_bytes()
    assert saved == bid.receipt_json.encode()
    assert json.loads(saved)["sealed"]["sha256"] == bid.sealed_sha256
    signer = signing.verify_signature(envelope.with_name("bid.p7m.receipt.p7s").read_bytes(), saved)
    assert signer.subject
    lines = uploaded.stdout.strip().splitlines()
    assert len(lines) == 1 and bid.receipt_number in lines[0] and "bid.p7m.receipt.json" in lines[0]
    wib = timezone.localtime(bid.received_at).strftime("%d-%m-%Y %H:%M:%S WIB")
    assert wib in lines[0]  # the time as vendors read deadlines, not UTC
    assert not envelope.with_name("bid.p7m.upload.json").exists()


def test_bid2_lpse_seal_refuses_an_envelope_for_another_tender_before_sending(
    live_server, participant, tmp_path
):
    """BID-2: an envelope sealed for another certificate is refused by the CLI itself, in
    English with LANG=en: nothing is sent (no upload is created on the server)."""
    other = keys.self_signed_certificate(keys.generate_key_pair(2048), "Paket lain", 30)
    from cryptography.hazmat.primitives import serialization

    pem = other.public_bytes(serialization.Encoding.PEM).decode()
    envelope = seal_for(tmp_path, pem)
    with in_stage():
        tokens = token_file(tmp_path, participant.vendor.user)
        refused = lpse_seal(
            "upload", "--server", live_server.url, "--tender", participant.tender.code,
            "--token-file", str(tokens), str(envelope), LANG="en_US.UTF-8",
        )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.startswith("lpse-seal: The envelope is not sealed for the certificate")
    assert "[not_for_tender]" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert not TusUpload.objects.exists() and not Bid.objects.exists()


def test_bid2_lpse_seal_upload_outside_the_stage_or_without_token_says_why(
    live_server, participant, tmp_path
):
    """BID-2, GEN-3: after the upload stage the server's reason comes back on one line with its
    code (Indonesian by default); without a token it is a usage error (status 2); a token
    from LPSE_TOKEN works like --token-file."""
    tender = participant.tender
    envelope = seal_for(tmp_path, tender.bid_key.certificate_pem)
    with time_machine.travel(during(StageKind.BID_OPENING, offset_hours=2), tick=True):
        secret = token_file(tmp_path, participant.vendor.user).read_text().strip()
        late = lpse_seal(
            "upload", "--server", live_server.url, "--tender", tender.code, str(envelope),
            LPSE_TOKEN=secret,
        )  # fmt: skip
    assert late.returncode == 1
    assert late.stderr.startswith("lpse-seal: Server menolak: Penawaran hanya dapat diunggah")
    assert late.stderr.strip().endswith("[not_upload_stage]")
    missing = lpse_seal(
        "upload", "--server", live_server.url, "--tender", tender.code, str(envelope)
    )
    assert missing.returncode == 2 and "LPSE_TOKEN" in missing.stderr
    bad_code = lpse_seal(
        "upload", "--server", live_server.url, "--tender", "x/1", str(envelope), LPSE_TOKEN=secret
    )
    assert bad_code.returncode == 2
    assert not TusUpload.objects.exists()


def test_bid2_lpse_seal_upload_older_url_form_still_works(live_server, participant, tmp_path):
    """BID-2: `lpse-seal upload --url <tus URL> --token T` (tus alone) still makes the bid."""
    tender = participant.tender
    envelope = seal_for(tmp_path, tender.bid_key.certificate_pem)
    with in_stage():
        secret = token_file(tmp_path, participant.vendor.user).read_text().strip()
        uploaded = lpse_seal(
            "upload", "--url", f"{live_server.url}/penawaran/{tender.code}/tus/",
            "--token", secret, str(envelope),
        )  # fmt: skip
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    assert Bid.objects.get().sealed_sha256 == hashlib.sha256(envelope.read_bytes()).hexdigest()
