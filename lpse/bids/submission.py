"""Bid submission (BID-2): who may upload when, and the one write that makes a bid.

A bid becomes "submitted" only in `submit_bid`: its sealed file is already
complete, fsynced and renamed into `sealed/` (content-addressed), then — in one
transaction holding the participant row — the upload stage is checked again at
the server's clock (to the second), the previous bid is superseded, the bid row
and its signed receipt are written. Anything refused removes the file again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lpse.audit.services import record
from lpse.tenders import schedule as rules
from lpse.tenders.choices import StageKind, TenderStatus
from lpse.tenders.models import Participant, Tender
from lpse.tenders.selectors import participant_for, vendor_of

from . import storage
from .choices import BidSource, BidStatus, TransitionKind, can_move_bid
from .errors import BidError
from .key_services import transition
from .models import Bid, TenderKey


def check_upload_stage(tender: Tender, at: datetime) -> None:
    """Refuse unless the bid upload stage runs at `at` (start inclusive, end exclusive)."""
    stage = tender.stage(StageKind.BID_UPLOAD)
    if tender.status != TenderStatus.ANNOUNCED or stage is None:
        raise BidError(
            gettext_lazy("Tender ini tidak sedang menerima penawaran."),
            status=409,
            code="not_upload_stage",
        )
    if not (stage.starts_at <= at < stage.ends_at):
        raise BidError(
            gettext_lazy(
                "Penawaran hanya dapat diunggah pada tahap %(stage)s (%(start)s s.d. %(end)s). "
                "Waktu server sekarang %(now)s."
            ),
            status=409,
            code="not_upload_stage",
            params={
                "stage": rules.label(StageKind.BID_UPLOAD),
                "start": rules.wib(stage.starts_at),
                "end": rules.wib(stage.ends_at),
                "now": rules.wib(at),
            },
        )


def check_can_submit(
    tender: Tender, user, at: datetime | None = None
) -> tuple[Participant, TenderKey]:
    """Before any byte is read: a verified vendor, a participant, the stage, the tender key."""
    at = at or timezone.now()
    vendor = vendor_of(user)
    if vendor is None or not vendor.can_bid:
        raise BidError(
            gettext_lazy(
                "Hanya penyedia yang sudah terverifikasi dan aktif yang dapat mengirim penawaran."
            ),
            status=403,
            code="vendor_not_verified",
        )
    participant = participant_for(tender, user)
    if participant is None:
        raise BidError(
            gettext_lazy("Perusahaan Anda belum terdaftar sebagai peserta tender ini."),
            status=403,
            code="not_participant",
        )
    check_upload_stage(tender, at)
    tender_key = TenderKey.objects.filter(tender=tender).first()
    if tender_key is None:
        raise BidError(
            gettext_lazy("Pokja belum membuat kunci tender; penawaran belum dapat diterima."),
            status=409,
            code="no_tender_key",
        )
    return participant, tender_key


def submit_bid(
    participant: Participant,
    *,
    temp_path: Path,
    sealed,
    plain=None,
    source: str,
    files: list[dict] | None = None,
    original_name: str = "",
    by,
    request=None,
) -> Bid:
    """Make the bid from a complete sealed temp file (fingerprints `sealed`/`plain`)."""
    from .receipts import notify_receipt, sign_receipt

    tender = participant.tender
    name = storage.place_sealed(temp_path, tender.code, sealed.sha256)
    try:
        with transaction.atomic():
            locked = Participant.objects.select_for_update().get(pk=participant.pk)
            at = timezone.now()  # the receipt's time: read inside the lock
            tender = Tender.objects.prefetch_related("stages").get(pk=locked.tender_id)
            check_upload_stage(tender, at)
            vendor = locked.vendor
            if not vendor.can_bid:
                raise BidError(
                    gettext_lazy("Status penyedia tidak lagi terverifikasi/aktif."),
                    status=403,
                    code="vendor_not_verified",
                )
            tender_key = TenderKey.objects.get(tender=tender)
            previous = (
                Bid.objects.select_for_update()
                .filter(participant=locked, status=BidStatus.SUBMITTED)
                .first()
            )
            if previous is not None:
                assert can_move_bid(previous.status, BidStatus.SUPERSEDED)
                previous.status = BidStatus.SUPERSEDED
                previous.superseded_at = at
                previous.save(update_fields=["status", "superseded_at"])
            bid = Bid.objects.create(
                tender=tender,
                participant=locked,
                key=tender_key,
                status=BidStatus.SUBMITTED,
                source=source,
                sealed_name=name,
                files=files or [],
                original_name=original_name[:255],
                plain_size=plain.size if plain else None,
                plain_md5=plain.md5 if plain else "",
                plain_sha256=plain.sha256 if plain else "",
                sealed_size=sealed.size,
                sealed_md5=sealed.md5,
                sealed_sha256=sealed.sha256,
                received_at=at,
                submitted_by=by,
            )
            if previous is not None:
                previous.superseded_by = bid
                previous.save(update_fields=["superseded_by"])
                transition(
                    tender,
                    TransitionKind.BID,
                    BidStatus.SUBMITTED,
                    BidStatus.SUPERSEDED,
                    by=by,
                    at=at,
                    object_id=previous.pk,
                    note=f"diganti oleh {bid.pk}",
                )
            sign_receipt(bid, previous=previous)
            transition(
                tender, TransitionKind.BID, "", BidStatus.SUBMITTED, by=by, at=at, object_id=bid.pk
            )
            notify_receipt(bid)
            record(
                "bids.submit",
                actor=by,
                target=tender,
                before={"bid": previous.pk} if previous else None,
                after={
                    "bid": bid.pk,
                    "vendor": vendor.pk,
                    "source": source,
                    "sealed_sha256": sealed.sha256,
                    "sealed_size": sealed.size,
                    "plain_sha256": bid.plain_sha256,
                    "receipt": bid.receipt_number,
                },
                summary=f"Penawaran {vendor.name} untuk tender {tender.code} diterima"[:500],
                request=request,
            )
    except BaseException:
        discard_unreferenced(name)
        raise
    return bid


def discard_unreferenced(name: str) -> None:
    """Remove a placed sealed file that no bid row refers to (a refused or failed submit)."""
    if not Bid.objects.filter(sealed_name=name).exists():
        storage.remove_quietly(storage.path_of(name))


def check_presealed(path: Path, tender_key: TenderKey):
    """The envelope at `path` is CMS and addressed to this tender's certificate; returns
    its sealed fingerprint. Refusals name the problem in Indonesian."""
    from cryptography import x509

    from . import crypto

    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode("ascii"))
    try:
        with open(path, "rb") as source:
            info = crypto.inspect(source)
    except crypto.SealError as error:
        raise BidError(
            gettext_lazy("Berkas bukan amplop tersegel yang sah: %(reason)s"),
            status=422,
            code="not_an_envelope",
            params={"reason": error.message},
        ) from None
    if not crypto.is_for(info, certificate):
        raise BidError(
            gettext_lazy(
                "Amplop ini tidak disegel untuk sertifikat tender ini. Unduh sertifikat tender "
                "dari halaman tender lalu segel ulang dengan lpse-seal."
            ),
            status=422,
            code="not_for_tender",
        )
    return info.sealed


BROWSER = BidSource.BROWSER
PRESEALED = BidSource.PRESEALED
