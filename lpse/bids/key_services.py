"""Tender keys (BID-4): the committee creates the key pair bids are sealed for.

Server mode: in one key ceremony every member of the tender's Pokja types their
own passphrase; the server generates the RSA key, has the LPSE CA certify it,
encrypts the private key under a random wrapping key split k-of-n
(`keys.split_private_key`, each share protected by its member's passphrase) and
forgets the key: only the encrypted key and the protected shares are stored.
Offline mode: the committee runs `lpse-seal keygen` and uploads the certificate.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.audit.services import record
from lpse.tenders.choices import StageKind, TenderStatus
from lpse.tenders.models import Tender
from lpse.tenders.services import lock

from .choices import KeyMode, TransitionKind
from .errors import BidError
from .models import BidTransition, KeyShare, TenderKey

MIN_PASSPHRASE = 10
MIN_RSA_BITS = 2048


def transition(tender, kind, from_state, to_state, *, by, at=None, object_id="", note=""):
    return BidTransition.objects.create(
        tender=tender,
        kind=kind,
        object_id=str(object_id or ""),
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=at or timezone.now(),
        note=note[:2000],
    )


def require_member(tender: Tender, user) -> None:
    from .selectors import is_member

    if not is_member(tender, user):
        raise BidError(
            gettext("Hanya anggota Pokja tender ini yang dapat melakukannya."), status=403
        )


def _check_key_allowed(tender: Tender, at: datetime) -> None:
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.ANNOUNCED):
        raise BidError(gettext("Tender ini tidak sedang berjalan."))
    if TenderKey.objects.filter(tender=tender).exists():
        raise BidError(gettext("Kunci tender ini sudah dibuat; kunci tidak dapat diganti."))
    upload = tender.stage(StageKind.BID_UPLOAD)
    if upload is not None and at >= upload.starts_at:
        raise BidError(gettext("Kunci tender dibuat sebelum tahap upload penawaran dimulai."))


def certificate_sha256(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _store_key(tender, *, mode, certificate, by, at, max_bid_mb, **fields) -> TenderKey:
    return TenderKey.objects.create(
        tender=tender,
        mode=mode,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        certificate_sha256=certificate_sha256(certificate),
        not_after=certificate.not_valid_after_utc,
        created_by=by,
        created_at=at,
        max_bid_mb=max_bid_mb or 0,
        **fields,
    )


def create_server_key(
    tender: Tender,
    *,
    threshold: int,
    passphrases: dict[int, str],
    max_bid_mb: int = 0,
    by,
    request=None,
) -> TenderKey:
    """The key ceremony: `passphrases` maps every committee member's user id to the passphrase
    they typed. The private key lives only in this function's memory."""
    from . import authority, keys

    at = timezone.now()
    with transaction.atomic():
        locked = lock(tender)
        require_member(locked, by)
        _check_key_allowed(locked, at)
        members = list(locked.members.select_related("user").order_by("pk"))
        if not members:
            raise BidError(gettext("Tender ini belum mempunyai anggota Pokja."))
        missing = [
            m.user.get_full_name() or m.user.username
            for m in members
            if len(passphrases.get(m.user_id, "")) < MIN_PASSPHRASE
        ]
        if missing:
            raise BidError(
                gettext(
                    "Setiap anggota Pokja mengetik frasa sandi sendiri (minimal %(min)d karakter). "
                    "Belum lengkap: %(names)s."
                )
                % {"min": MIN_PASSPHRASE, "names": ", ".join(missing)},
                "passphrases",
            )
        if not 1 <= threshold <= len(members):
            raise BidError(
                gettext("Jumlah bagian minimal harus antara 1 dan %(n)d.") % {"n": len(members)},
                "threshold",
            )
        key = keys.generate_key_pair()
        certificate = authority.get_authority().issue_tender_certificate(
            key.public_key(), tender_code=locked.code, days=settings.LPSE_TENDER_CERT_DAYS
        )
        split = keys.split_private_key(
            key,
            shares=len(members),
            threshold=threshold,
            passphrases=[passphrases[m.user_id] for m in members],
        )
        del key
        tender_key = _store_key(
            locked,
            mode=KeyMode.SERVER_SHARES,
            certificate=certificate,
            by=by,
            at=at,
            max_bid_mb=max_bid_mb,
            encrypted_private_key=split.encrypted_key,
            threshold=threshold,
            share_count=len(members),
        )
        KeyShare.objects.bulk_create(
            KeyShare(key=tender_key, member=m.user, position=i, share=share, created_at=at)
            for i, (m, share) in enumerate(zip(members, split.shares, strict=True))
        )
        transition(
            locked,
            TransitionKind.KEY,
            "",
            "created",
            by=by,
            at=at,
            object_id=tender_key.pk,
            note=f"{threshold}-of-{len(members)}",
        )
        record(
            "bids.key_create",
            actor=by,
            target=locked,
            after={
                "mode": tender_key.mode,
                "threshold": threshold,
                "shares": len(members),
                "members": [m.user_id for m in members],
                "certificate_sha256": tender_key.certificate_sha256,
            },
            summary=f"Kunci tender {locked.code} dibuat ({threshold} dari {len(members)})",
            request=request,
        )
    return tender_key


def load_certificate(data: bytes) -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise BidError(
            gettext("Berkas bukan sertifikat X.509 (PEM atau DER)."), "certificate"
        ) from None


@transaction.atomic
def upload_offline_certificate(
    tender: Tender, data: bytes, *, max_bid_mb: int = 0, by, request=None
) -> TenderKey:
    """The committee made the key with `lpse-seal keygen` and uploads only its certificate."""
    at = timezone.now()
    certificate = load_certificate(data)
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey) or public_key.key_size < MIN_RSA_BITS:
        raise BidError(
            gettext("Sertifikat harus memuat kunci RSA minimal %(bits)d bit.")
            % {"bits": MIN_RSA_BITS},
            "certificate",
        )
    opening = tender.stage(StageKind.BID_OPENING)
    if certificate.not_valid_after_utc <= (opening.ends_at if opening else at):
        raise BidError(
            gettext("Sertifikat sudah/akan kedaluwarsa sebelum pembukaan penawaran."),
            "certificate",
        )
    locked = lock(tender)
    require_member(locked, by)
    _check_key_allowed(locked, at)
    tender_key = _store_key(
        locked,
        mode=KeyMode.OFFLINE_CERTIFICATE,
        certificate=certificate,
        by=by,
        at=at,
        max_bid_mb=max_bid_mb,
    )
    transition(
        locked,
        TransitionKind.KEY,
        "",
        "created",
        by=by,
        at=at,
        object_id=tender_key.pk,
        note="offline",
    )
    record(
        "bids.key_upload",
        actor=by,
        target=locked,
        after={"mode": tender_key.mode, "certificate_sha256": tender_key.certificate_sha256},
        summary=f"Sertifikat luring tender {locked.code} diunggah",
        request=request,
    )
    return tender_key
