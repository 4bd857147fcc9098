"""The LPSE certificate authority: tender certificates and signed receipts (BID-4, BID-2).

``get_authority()`` loads the CA key and certificate from ``settings.LPSE_CA_DIR``
(``ca.key``, mode 0600, PKCS#8 PEM, encrypted when ``LPSE_CA_KEY_PASSPHRASE``
or ``LPSE_CA_KEY_PASSPHRASE_FILE`` is set; ``ca.crt``), creating both on first
use under a file lock so two processes never make two CAs. Django settings
are read lazily: importing this module needs no configured Django.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from . import keys, signing

KEY_FILE = "ca.key"
CERT_FILE = "ca.crt"
CA_DAYS = 3650
CA_BITS = 3072

_cache: dict[tuple[str, float], Authority] = {}
_lock = threading.Lock()


class Authority:
    """The LPSE CA key and certificate; issues tender certificates and signs receipts."""

    def __init__(self, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
        self.key = key
        self.certificate = certificate

    def issue_tender_certificate(
        self, public_key, *, tender_code: str, days: int
    ) -> x509.Certificate:
        """An encryption certificate for a tender's key (CN "Paket <code>"), signed by the CA."""
        subject = x509.Name(
            [
                *[
                    attribute
                    for attribute in self.certificate.subject
                    if attribute.oid == NameOID.ORGANIZATION_NAME
                ],
                x509.NameAttribute(NameOID.COMMON_NAME, f"Paket {tender_code}"),
            ]
        )
        builder = keys.encryption_certificate_builder(
            subject, self.certificate.subject, public_key, days
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
            critical=False,
        )
        return builder.sign(self.key, hashes.SHA256())

    def sign_receipt(self, data: bytes) -> bytes:
        """Detached CMS SignedData (DER) over a receipt; ``openssl cms -verify`` checks it."""
        return signing.sign_detached(data, self.key, self.certificate)

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def create_authority(common_name: str, organization: str, *, bits: int = CA_BITS) -> Authority:
    """A new self-signed CA (key usage: certificates, CRLs and signatures of receipts)."""
    key = keys.generate_key_pair(bits)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def _settings():
    from django.conf import settings

    directory = Path(getattr(settings, "LPSE_CA_DIR", None) or Path(settings.DATA_DIR) / "ca")
    passphrase = getattr(settings, "LPSE_CA_KEY_PASSPHRASE", "") or None
    name = getattr(settings, "LPSE_NAME", "LPSE")
    return directory, passphrase, name


def _write_private(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def load_or_create(directory: Path, passphrase: str | None, name: str) -> Authority:
    """The CA stored in ``directory``, created there (under a file lock) if missing."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_path, cert_path = directory / KEY_FILE, directory / CERT_FILE
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if not key_path.exists():
                authority = create_authority(f"{name} CA", name)
                # The certificate first: a key file present means both are complete.
                cert_path.write_bytes(authority.certificate_pem())
                _write_private(key_path, keys.private_key_pem(authority.key, passphrase))
                return authority
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    password = passphrase.encode() if passphrase else None
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=password)
    except (TypeError, ValueError):
        raise RuntimeError(
            f"{key_path}: LPSE_CA_KEY_PASSPHRASE(_FILE) is missing or does not open the CA key"
        ) from None
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise RuntimeError(f"{key_path} and {cert_path} do not belong together")
    return Authority(key, certificate)


def get_authority() -> Authority:
    """The LPSE CA (created on first use under ``settings.LPSE_CA_DIR``); cached per process."""
    directory, passphrase, name = _settings()
    key_path = directory / KEY_FILE
    with _lock:
        with contextlib.suppress(FileNotFoundError):
            cached = _cache.get((str(directory), key_path.stat().st_mtime))
            if cached is not None:
                return cached
        authority = load_or_create(directory, passphrase, name)
        _cache.clear()
        _cache[(str(directory), key_path.stat().st_mtime)] = authority
        return authority
