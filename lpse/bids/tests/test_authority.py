"""The LPSE CA: tender certificates and signed receipts, checked with openssl (BID-4, BID-2)."""

from __future__ import annotations

import io
import os
import stat

import pytest
from cryptography import x509

from lpse.bids import authority, crypto, keys, signing
from lpse.conftest import require_tool

from .seal_fixtures import run


@pytest.fixture
def ca_dir(settings, tmp_path):
    settings.LPSE_CA_DIR = tmp_path / "ca"
    settings.LPSE_CA_KEY_PASSPHRASE = ""
    authority._cache.clear()
    yield settings.LPSE_CA_DIR
    authority._cache.clear()


def test_authority_is_created_once_with_a_private_key_file(ca_dir):
    """BID-4: the CA is created on first use, key file mode 0600, and reused afterwards."""
    first = authority.get_authority()
    assert stat.S_IMODE((ca_dir / "ca.key").stat().st_mode) == 0o600
    assert first.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    authority._cache.clear()
    again = authority.get_authority()
    assert again.certificate == first.certificate
    assert again.certificate_pem() == (ca_dir / "ca.crt").read_bytes()


def test_authority_key_is_encrypted_with_the_passphrase(ca_dir, settings):
    """BID-4: with LPSE_CA_KEY_PASSPHRASE the key file is encrypted and still loads."""
    settings.LPSE_CA_KEY_PASSPHRASE = "rahasia-ca"
    first = authority.get_authority()
    assert (ca_dir / "ca.key").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")
    authority._cache.clear()
    assert authority.get_authority().certificate == first.certificate
    for wrong in ("salah", ""):
        settings.LPSE_CA_KEY_PASSPHRASE = wrong
        authority._cache.clear()
        with pytest.raises(RuntimeError, match="LPSE_CA_KEY_PASSPHRASE"):
            authority.get_authority()


def test_tender_certificate_verifies_with_openssl_and_seals(ca_dir, tmp_path):
    """BID-4: a tender certificate issued by the CA verifies with `openssl verify`,
    and an envelope sealed to it opens with `openssl cms -decrypt` (BID-3)."""
    openssl = require_tool("openssl")
    ca = authority.get_authority()
    key = keys.generate_key_pair(2048)
    certificate = ca.issue_tender_certificate(key.public_key(), tender_code="10000001", days=60)
    assert "CN=Paket 10000001" in certificate.subject.rfc4514_string()
    (tmp_path / "tender.crt").write_bytes(
        certificate.public_bytes(crypto.writer.serialization.Encoding.PEM)
    )
    (tmp_path / "tender.key").write_bytes(keys.private_key_pem(key))
    result = run(openssl, "verify", "-CAfile", ca_dir / "ca.crt", tmp_path / "tender.crt")
    assert b": OK" in result.stdout
    with open(tmp_path / "bid.p7m", "wb") as dest:
        crypto.seal_stream(io.BytesIO(b"dokumen penawaran"), dest, certificate)
    result = run(
        openssl,
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        tmp_path / "bid.p7m",
        "-inkey",
        tmp_path / "tender.key",
    )
    assert result.stdout == b"dokumen penawaran"


def test_receipt_signature_verifies_with_openssl_and_ours(ca_dir, tmp_path):
    """BID-2: a receipt signed by the LPSE verifies with `openssl cms -verify`
    against the CA certificate; a changed receipt fails with openssl and with ours."""
    openssl = require_tool("openssl")
    ca = authority.get_authority()
    receipt = b"Tanda terima penawaran\npaket 10000001\nsha256 " + b"ab" * 32 + b"\n"
    (tmp_path / "receipt.txt").write_bytes(receipt)
    (tmp_path / "receipt.p7s").write_bytes(ca.sign_receipt(receipt))
    verify = (
        openssl,
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        tmp_path / "receipt.p7s",
        "-CAfile",
        ca_dir / "ca.crt",
        "-out",
        "/dev/null",
    )
    result = run(*verify, "-content", tmp_path / "receipt.txt", check=False)
    assert result.returncode == 0, result.stderr
    assert b"Verification successful" in result.stderr
    (tmp_path / "changed.txt").write_bytes(receipt.replace(b"ab", b"ac", 1))
    assert run(*verify, "-content", tmp_path / "changed.txt", check=False).returncode != 0
    signer = signing.verify_signature((tmp_path / "receipt.p7s").read_bytes(), receipt)
    assert signer.certificate == ca.certificate
    with pytest.raises(signing.SignatureError) as raised:
        signing.verify_signature((tmp_path / "receipt.p7s").read_bytes(), receipt + b" ")
    assert raised.value.code == "signature_invalid"


def test_two_processes_starting_together_make_one_authority(tmp_path):
    """BID-4: two server processes creating the CA at once end with the same one (file lock)."""
    directory = tmp_path / "ca"
    children = []
    for i in range(2):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through a file and its status
            try:
                made = authority.load_or_create(directory, None, "LPSE Uji")
                (tmp_path / f"cert{i}").write_bytes(made.certificate_pem())
                os._exit(0)
            except BaseException:
                os._exit(1)
        children.append(pid)
    for pid in children:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert (tmp_path / "cert0").read_bytes() == (tmp_path / "cert1").read_bytes()
    assert (tmp_path / "cert0").read_bytes() == (directory / "ca.crt").read_bytes()
