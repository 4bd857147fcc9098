"""CMS SignedData of bid manifests, checked with openssl and our verifier (BID-3)."""

# ruff: noqa: F811  (fixtures imported from seal_fixtures)

from __future__ import annotations

import pytest

from lpse.bids import signing
from lpse.conftest import require_tool

from .seal_fixtures import other_key, run, tender_key  # noqa: F401

MANIFEST = b'{"files": [{"name": "harga.pdf", "size": 10}]}'


def test_attached_signature_verifies_with_openssl_smime_and_cms(tmp_path, tender_key):
    """BID-3: the vendor's signed manifest (attached SignedData) verifies with
    `openssl cms -verify` and `openssl smime -verify`, giving the manifest back."""
    openssl = require_tool("openssl")
    (tmp_path / "m.p7s").write_bytes(
        signing.sign_attached(MANIFEST, tender_key.key, tender_key.certificate)
    )
    for command in ("cms", "smime"):
        result = run(
            openssl,
            command,
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            tmp_path / "m.p7s",
            "-CAfile",
            tender_key.cert_path,
        )
        assert result.stdout == MANIFEST
    info = signing.verify_signature((tmp_path / "m.p7s").read_bytes())
    assert info.content == MANIFEST
    assert info.subject == "CN=Paket tender"


def test_detached_signature_verifies_and_detects_changes(tmp_path, tender_key):
    """BID-3: a detached signature verifies over the same bytes only (openssl and ours)."""
    openssl = require_tool("openssl")
    signature = signing.sign_detached(MANIFEST, tender_key.key, tender_key.certificate)
    (tmp_path / "m.json").write_bytes(MANIFEST)
    (tmp_path / "m.p7s").write_bytes(signature)
    run(
        openssl,
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        tmp_path / "m.p7s",
        "-content",
        tmp_path / "m.json",
        "-CAfile",
        tender_key.cert_path,
        "-out",
        "/dev/null",
    )
    assert signing.verify_signature(signature, MANIFEST).content is None
    with pytest.raises(signing.SignatureError):
        signing.verify_signature(signature, MANIFEST.replace(b"10", b"11"))


def test_openssl_signature_verifies_with_ours(tmp_path, tender_key):
    """BID-3: a SignedData made by `openssl cms -sign` verifies with our verifier."""
    openssl = require_tool("openssl")
    (tmp_path / "m.json").write_bytes(MANIFEST)
    run(
        openssl,
        "cms",
        "-sign",
        "-binary",
        "-outform",
        "DER",
        "-in",
        tmp_path / "m.json",
        "-signer",
        tender_key.cert_path,
        "-inkey",
        tender_key.key_path,
        "-md",
        "sha256",
        "-out",
        tmp_path / "m.p7s",
    )
    info = signing.verify_signature((tmp_path / "m.p7s").read_bytes(), MANIFEST)
    assert info.certificate == tender_key.certificate


def test_garbage_or_altered_signature_is_invalid(tender_key):
    """BID-3/ERR-1: not a SignedData, or a changed signature value: "signature_invalid"."""
    signature = bytearray(signing.sign_detached(MANIFEST, tender_key.key, tender_key.certificate))
    signature[-10] ^= 0x01  # inside the RSA signature value at the end
    for blob in (b"garbage", bytes(signature)):
        with pytest.raises(signing.SignatureError):
            signing.verify_signature(blob, MANIFEST)
