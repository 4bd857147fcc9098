"""Shared fixtures of the sealing tests (BID-3, BID-4): tender keys and files on disk.

Imported by the test modules (not a conftest, which belongs to the bids app).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass
class TenderKey:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    key_path: Path
    cert_path: Path


def make_tender_key(directory: Path, name: str, bits: int = 2048) -> TenderKey:
    """An RSA key and a self-signed certificate, also written as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Paket {name}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path = directory / f"{name}.key"
    cert_path = directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return TenderKey(key, certificate, key_path, cert_path)


@pytest.fixture(scope="session")
def tender_key(tmp_path_factory) -> TenderKey:
    return make_tender_key(tmp_path_factory.mktemp("keys"), "tender")


@pytest.fixture(scope="session")
def other_key(tmp_path_factory) -> TenderKey:
    return make_tender_key(tmp_path_factory.mktemp("keys-other"), "other")


def run(*args, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a real tool; on failure show its output."""
    result = subprocess.run([str(arg) for arg in args], capture_output=True, check=False, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args[0]} exited {result.returncode}: {result.stderr.decode(errors='replace')}"
        )
    return result


def leftovers(directory: Path) -> list[str]:
    """Files in ``directory`` (to prove a failed opening left nothing behind)."""
    return sorted(path.name for path in directory.iterdir())
