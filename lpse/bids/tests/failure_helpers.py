"""Fixtures of the failed-opening tests (ERR-1): a tender with its key, two participants with
real sealed bids on disk, and an opening in which both failed."""

from __future__ import annotations

import datetime
import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.tenders.tests.helpers import join

from .. import crypto
from ..choices import BidSource, FailureCode, KeyMode, OpeningMethod, OpeningOutcome
from ..models import Bid, BidOpening, Opening, TenderKey

BID_TEXT = b"Surat penawaran PT Maju Jaya: harga Rp 1.200.000.000\n" * 200


def make_key_and_certificate(common_name: str):
    """A throw-away RSA key and self-signed certificate (2048 bits: fast enough for tests)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def seal_bytes(data: bytes, certificate) -> bytes:
    out = BytesIO()
    crypto.seal_stream(BytesIO(data), out, certificate)
    return out.getvalue()


def make_tender_key(tender, certificate, by) -> TenderKey:
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    der = certificate.public_bytes(serialization.Encoding.DER)
    return TenderKey.objects.create(
        tender=tender,
        mode=KeyMode.OFFLINE_CERTIFICATE,
        certificate_pem=pem,
        certificate_sha256=hashlib.sha256(der).hexdigest(),
        not_after=certificate.not_valid_after_utc,
        created_by=by,
    )


def place_bid(tender, participant, tender_key, sealed: bytes, *, by, receipt: bytes | None = None):
    """Write `sealed` where the bids app keeps sealed files and a submitted Bid whose receipt
    says `receipt` (default: the same bytes) was received."""
    receipt = sealed if receipt is None else receipt
    digest = hashlib.sha256(sealed).hexdigest()
    name = f"sealed/{tender.code}/{digest}.p7m"
    path = Path(settings.LPSE_BIDS_DIR) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sealed)
    return Bid.objects.create(
        tender=tender,
        participant=participant,
        key=tender_key,
        source=BidSource.PRESEALED,
        sealed_name=name,
        original_name="penawaran.p7m",
        sealed_size=len(receipt),
        sealed_md5=hashlib.md5(receipt, usedforsecurity=False).hexdigest(),
        sealed_sha256=hashlib.sha256(receipt).hexdigest(),
        received_at=timezone.now(),
        submitted_by=by,
    )


def failed_opening(tender, bids, by, code=FailureCode.TAMPERED) -> list[BidOpening]:
    opening = Opening.objects.create(
        tender=tender, method=OpeningMethod.KEY_FILE, opened_by=by, failed_count=len(bids)
    )
    return [
        BidOpening.objects.create(
            opening=opening,
            bid=bid,
            outcome=OpeningOutcome.FAILED,
            failure_code=code,
            message="gagal",
        )
        for bid in bids
    ]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def failure_dirs(settings, tmp_path, tmp_path_factory):
    settings.LPSE_BIDS_DIR = tmp_path / "bids"
    # One LPSE CA for the session (as the bids tests do): making one costs an RSA key.
    settings.LPSE_CA_DIR = tmp_path_factory.getbasetemp() / "lpse-ca"
    settings.LPSE_LKPP_EMAIL = "lpse.support@lkpp.go.id"
    return settings.LPSE_BIDS_DIR


@pytest.fixture
def lpse_staff(db):
    return make_user("admin_ppe", Role.SYSADMIN, first_name="Rudi", last_name="Hartono")


@pytest.fixture
def tender_keys():
    """(private key, certificate) of the tender."""
    return make_key_and_certificate("Tender 10000001")


@pytest.fixture
def scenario(tender, pokja, company, second_company, tender_keys, failure_dirs):
    """A tender with a key; PT Maju Jaya's bid is sealed correctly but its receipt differs
    (a fingerprint mismatch), CV Sinar Terang's bid has a flipped byte in the GCM tag; both
    failed at the opening."""
    private_key, certificate = tender_keys
    tender_key = make_tender_key(tender, certificate, pokja)
    first = join(tender, company)
    second = join(tender, second_company)
    good = seal_bytes(BID_TEXT, certificate)
    tampered = bytearray(seal_bytes(b"Penawaran CV Sinar Terang\n" * 100, certificate))
    tampered[-20] ^= 0x01
    bids = [
        place_bid(tender, first, tender_key, good, by=company.user, receipt=good + b"x"),
        place_bid(tender, second, tender_key, bytes(tampered), by=second_company.user),
    ]
    results = failed_opening(tender, bids, pokja)
    return {
        "tender": tender,
        "key": private_key,
        "certificate": certificate,
        "tender_key": tender_key,
        "bids": bids,
        "results": results,
        "good": good,
        "tampered": bytes(tampered),
    }


def file_from_opening(scenario, pokja):
    from ..failure_services import file_request

    return file_request(
        scenario["tender"],
        by=pokja,
        channel="letter",
        letter_reference="027/POKJA-DBMSDA/2026",
        letter_date=timezone.localdate(),
        description="Dua penawaran gagal dibuka saat pembukaan.",
        results=scenario["results"],
    )


def handled_request(scenario, pokja, staff):
    """A request whose two files staff tried without success (step 2 finished)."""
    from ..failure_services import finish_handling, record_attempt, start_handling

    filed = file_from_opening(scenario, pokja)
    start_handling(filed, by=staff)
    for item in filed.files.order_by("pk"):
        record_attempt(item, by=staff, outcome="failed", notes="Dicoba dengan lpse-seal open.")
    finish_handling(filed, by=staff)
    filed.refresh_from_db()
    return filed
