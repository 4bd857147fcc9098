"""Opening all sealed bids of a tender in one action (BID-4).

Only after the opening stage starts, only by a member of the tender's Pokja,
and only with the key: k members' shares (each member types their passphrase on
the opening form; the shares are combined in memory for this request only), or
the offline private key file made by `lpse-seal keygen`. Each bid is checked
against its receipt fingerprints before and after decryption; the plaintext
goes to the committee-only area, failures are recorded with their code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.audit.services import record
from lpse.tenders import schedule as rules
from lpse.tenders.choices import StageKind, TenderStatus
from lpse.tenders.models import Tender
from lpse.tenders.services import lock

from . import storage
from .choices import (
    BidSource,
    FailureCode,
    OpeningMethod,
    OpeningOutcome,
    OpeningStatus,
    TransitionKind,
)
from .errors import BidError
from .key_services import require_member, transition
from .models import BidOpening, KeyShare, Opening, TenderKey
from .selectors import submitted_bids


def check_opening_time(tender: Tender, at) -> None:
    stage = tender.stage(StageKind.BID_OPENING)
    if tender.status != TenderStatus.ANNOUNCED or stage is None:
        raise BidError(gettext("Tender ini tidak sedang berjalan."), status=409)
    if at < stage.starts_at:
        raise BidError(
            gettext("Penawaran baru dapat dibuka mulai %(start)s.")
            % {"start": rules.wib(stage.starts_at)},
            status=409,
        )


def _key_from_shares(tender_key: TenderKey, passphrases: dict[int, str]):
    from . import keys

    given = {uid: p for uid, p in passphrases.items() if p}
    shares = list(
        KeyShare.objects.filter(key=tender_key, member_id__in=given).select_related("member")
    )
    if len(shares) < tender_key.threshold:
        raise BidError(
            gettext("Dibutuhkan frasa sandi dari minimal %(k)d anggota Pokja; baru %(got)d diisi.")
            % {"k": tender_key.threshold, "got": len(shares)},
            "passphrases",
        )
    wrong = []
    for share in shares:  # name the member whose passphrase does not unlock their share
        try:
            keys.combine_private_key(
                bytes(tender_key.encrypted_private_key),
                [(bytes(share.share), given[share.member_id])],
            )
        except keys.ShareError as error:
            if error.code in ("wrong_passphrase", "bad_share"):
                wrong.append(share.member.get_full_name() or share.member.username)
        except Exception:  # noqa: S112 - one share alone does not open the key: expected
            continue
    if wrong:
        raise BidError(
            gettext("Frasa sandi tidak cocok untuk: %(names)s.") % {"names": ", ".join(wrong)},
            "passphrases",
        )
    try:
        key = keys.combine_private_key(
            bytes(tender_key.encrypted_private_key),
            [(bytes(share.share), given[share.member_id]) for share in shares],
        )
    except keys.ShareError as error:
        raise BidError(
            gettext("Kunci tender tidak dapat disusun dari bagian yang diberikan: %(reason)s")
            % {"reason": error.message},
            "passphrases",
        ) from None
    return key, [share.member_id for share in shares]


def _key_from_file(tender_key: TenderKey, data: bytes, password: str):
    try:
        key = serialization.load_pem_private_key(data, password.encode() if password else None)
    except (ValueError, TypeError):
        raise BidError(
            gettext("Berkas kunci privat tidak dapat dibaca (PEM) atau kata sandinya salah."),
            "key_file",
        ) from None
    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode("ascii"))
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, spki) != (
        certificate.public_key().public_bytes(serialization.Encoding.DER, spki)
    ):
        raise BidError(
            gettext("Kunci privat ini bukan pasangan sertifikat tender ini."), "key_file"
        )
    return key


def _fingerprint(path: Path):
    md5, sha, size = hashlib.md5(), hashlib.sha256(), 0  # noqa: S324 - regulation fingerprint
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            md5.update(chunk)
            sha.update(chunk)
            size += len(chunk)
    return size, md5.hexdigest(), sha.hexdigest()


def open_one(bid, key, directory: Path) -> dict:
    """Open one bid into `directory`; returns the BidOpening fields (never raises SealError)."""
    from . import crypto

    try:
        path = storage.path_of(bid.sealed_name)
    except ValueError:
        path = None
    if path is None or not path.is_file():
        return {
            "outcome": OpeningOutcome.FAILED,
            "failure_code": FailureCode.MISSING_FILE,
            "message": gettext("Berkas penawaran tersegel tidak ditemukan di server."),
        }
    size, md5, sha = _fingerprint(path)
    if (size, md5, sha) != (bid.sealed_size, bid.sealed_md5, bid.sealed_sha256):
        return {
            "outcome": OpeningOutcome.FAILED,
            "failure_code": FailureCode.FINGERPRINT_MISMATCH,
            "message": gettext(
                "Sidik jari berkas tersegel tidak sama dengan tanda terima "
                "(tanda terima SHA-256 %(want)s, berkas %(got)s)."
            )
            % {"want": bid.sealed_sha256, "got": sha},
        }
    extension = "zip" if bid.source == BidSource.BROWSER else "bin"
    name = f"{bid.pk}.{extension}"
    dest = directory / name
    try:
        with open(path, "rb") as source:
            plain = crypto.open_to_file(source, dest, key)
    except crypto.SealError as error:
        storage.remove_quietly(dest)
        code = error.code if error.code in FailureCode.values else FailureCode.OTHER
        return {"outcome": OpeningOutcome.FAILED, "failure_code": code, "message": error.message}
    if bid.plain_sha256 and (plain.size, plain.md5, plain.sha256) != (
        bid.plain_size,
        bid.plain_md5,
        bid.plain_sha256,
    ):
        storage.remove_quietly(dest)
        return {
            "outcome": OpeningOutcome.FAILED,
            "failure_code": FailureCode.FINGERPRINT_MISMATCH,
            "message": gettext("Sidik jari isi penawaran tidak sama dengan tanda terima."),
        }
    relative = str(dest.relative_to(storage.root()))
    return {
        "outcome": OpeningOutcome.OPENED,
        "plain_name": relative,
        "plain_size": plain.size,
        "plain_md5": plain.md5,
        "plain_sha256": plain.sha256,
    }


def open_bids(
    tender: Tender,
    *,
    passphrases: dict[int, str] | None = None,
    key_file: bytes | None = None,
    key_password: str = "",
    by,
    request=None,
) -> Opening:
    """Open every submitted bid of `tender`; one Opening with a result per bid."""
    at = timezone.now()
    with transaction.atomic():
        locked = lock(tender)
        require_member(locked, by)
        check_opening_time(locked, at)
        tender_key = TenderKey.objects.filter(tender=locked).first()
        if tender_key is None:
            raise BidError(
                gettext("Tender ini tidak mempunyai kunci; tidak ada yang dapat dibuka.")
            )
        if Opening.objects.filter(tender=locked, status=OpeningStatus.DONE).exists():
            raise BidError(gettext("Penawaran tender ini sudah dibuka."), status=409)
        if key_file:
            key = _key_from_file(tender_key, key_file, key_password)
            method, members = OpeningMethod.KEY_FILE, []
        elif tender_key.is_offline:
            raise BidError(
                gettext("Kunci tender ini dibuat luring: unggah berkas kunci privatnya."),
                "key_file",
            )
        else:
            key, members = _key_from_shares(tender_key, passphrases or {})
            method = OpeningMethod.SHARES
        opening = Opening.objects.create(
            tender=locked, method=method, share_members=members, opened_by=by, started_at=at
        )
        transition(
            locked,
            TransitionKind.OPENING,
            "",
            OpeningStatus.RUNNING,
            by=by,
            at=at,
            object_id=opening.pk,
        )
        directory = storage.opened_dir(locked.code, opening.pk)
        opened = failed = 0
        for bid in submitted_bids(locked):
            fields = open_one(bid, key, directory)
            result = BidOpening.objects.create(
                opening=opening, bid=bid, at=timezone.now(), **fields
            )
            if result.failed:
                failed += 1
            else:
                opened += 1
            transition(
                locked,
                TransitionKind.BID,
                "submitted",
                result.outcome,
                by=by,
                object_id=bid.pk,
                note=f"{result.failure_code} {result.message}".strip(),
            )
        del key
        opening.status = OpeningStatus.DONE
        opening.finished_at = timezone.now()
        opening.opened_count, opening.failed_count = opened, failed
        opening.save(update_fields=["status", "finished_at", "opened_count", "failed_count"])
        transition(
            locked,
            TransitionKind.OPENING,
            OpeningStatus.RUNNING,
            OpeningStatus.DONE,
            by=by,
            object_id=opening.pk,
            note=f"{opened} dibuka, {failed} gagal",
        )
        record(
            "bids.open",
            actor=by,
            target=locked,
            after={
                "opening": opening.pk,
                "method": method,
                "members": members,
                "opened": opened,
                "failed": failed,
            },
            summary=f"Pembukaan penawaran tender {locked.code}: {opened} dibuka, {failed} gagal",
            request=request,
        )
    return opening
