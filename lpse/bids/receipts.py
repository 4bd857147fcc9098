"""Receipts (tanda terima) of sealed bids (BID-2): canonical JSON signed by the LPSE.

The signed bytes are `bid.receipt_json` exactly (UTF-8, keys sorted, no spaces);
`bid.receipt_signature` is a detached CMS SignedData (DER) over them made by the
LPSE authority. A vendor checks it with:

    openssl cms -verify -binary -inform DER -in receipt.p7s -content receipt.json \
        -CAfile lpse-ca.crt -purpose any
"""

from __future__ import annotations

import json
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Bid


def receipt_number(bid: Bid) -> str:
    return f"TT-{bid.tender.code}-{bid.pk:06d}"


def receipt_data(bid: Bid, previous: Bid | None = None) -> dict:
    vendor = bid.participant.vendor
    data = {
        "receipt": bid.receipt_number,
        "issuer": settings.LPSE_NAME,
        "tender": {"code": bid.tender.code, "name": bid.tender.name},
        "vendor": {"id": vendor.pk, "name": vendor.name, "tax_id": getattr(vendor, "tax_id", "")},
        "bid": bid.pk,
        "received_at": bid.received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": bid.source,
        "certificate_sha256": bid.key.certificate_sha256,
        "sealed": {"size": bid.sealed_size, "md5": bid.sealed_md5, "sha256": bid.sealed_sha256},
        "supersedes": previous.receipt_number if previous is not None else None,
    }
    if bid.plain_sha256:
        data["plain"] = {"size": bid.plain_size, "md5": bid.plain_md5, "sha256": bid.plain_sha256}
    if bid.files:
        data["files"] = bid.files
    if bid.original_name:
        data["file_name"] = bid.original_name
    return data


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_receipt(bid: Bid, previous: Bid | None = None) -> None:
    """Number, serialise and sign the receipt of a just-created bid (inside its transaction)."""
    from .authority import get_authority

    bid.receipt_number = receipt_number(bid)
    payload = canonical(receipt_data(bid, previous))
    bid.receipt_json = payload.decode()
    bid.receipt_signature = get_authority().sign_receipt(payload)
    bid.save(update_fields=["receipt_number", "receipt_json", "receipt_signature"])


def receipt_of(bid: Bid) -> dict:
    return json.loads(bid.receipt_json) if bid.receipt_json else {}


def notify_receipt(bid: Bid) -> None:
    """E-mail the receipt (with its JSON and signature attached) after commit."""
    from .tasks import send_receipt_email

    addresses = sorted({a for a in (bid.participant.vendor.email, bid.submitted_by.email) if a})
    if addresses:
        transaction.on_commit(lambda: send_receipt_email(bid.pk, addresses))


def render_email(bid: Bid) -> tuple[str, str]:
    context = {
        "bid": bid,
        "receipt": receipt_of(bid),
        "LPSE_NAME": settings.LPSE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("bids/email/receipt_subject.txt", context).split())
    return subject, render_to_string("bids/email/receipt_body.txt", context)


def receipt_pdf(bid: Bid) -> bytes:
    """The receipt as a PDF on the letterhead, with every fingerprint written out."""
    from django.utils.translation import gettext as _

    from lpse.core import pdf

    data = receipt_of(bid)
    canvas, buffer = pdf.new_canvas(f"Tanda Terima {bid.receipt_number}")
    y = pdf.letterhead(canvas, _("TANDA TERIMA DOKUMEN PENAWARAN"), bid.receipt_number)
    local = timezone.localtime(bid.received_at)
    rows = [
        (_("Kode tender"), bid.tender.code),
        (_("Nama paket"), bid.tender.name),
        (_("Penyedia"), bid.participant.vendor.name),
        (_("Waktu diterima (server)"), local.strftime("%d-%m-%Y %H:%M:%S WIB")),
        (_("Cara unggah"), bid.get_source_display()),
        (_("Ukuran tersegel"), f"{bid.sealed_size} bytes"),
        ("MD5 (tersegel)", bid.sealed_md5),
        ("SHA-256 (tersegel)", bid.sealed_sha256),
    ]
    if bid.plain_sha256:
        rows += [
            (_("Ukuran asli"), f"{bid.plain_size} bytes"),
            ("MD5 (asli)", bid.plain_md5),
            ("SHA-256 (asli)", bid.plain_sha256),
        ]
    rows.append((_("Sertifikat tender (SHA-256)"), bid.key.certificate_sha256))
    for label, value in rows:
        y = pdf.paragraph(canvas, y, f"{label}: {value}", size=9)
    for item in data.get("files", []):
        y = pdf.paragraph(
            canvas,
            y,
            f"- {item['name']} ({item['size']} bytes) SHA-256 {item['sha256']}",
            size=8,
            indent=4,
        )
    y = pdf.paragraph(
        canvas,
        y - 6,
        _(
            "Tanda terima ini ditandatangani secara elektronik oleh LPSE (CMS, berkas .p7s atas "
            "JSON tanda terima). Periksa dengan: openssl cms -verify -binary -inform DER "
            "-in tanda-terima.p7s -content tanda-terima.json -CAfile lpse-ca.crt -purpose any"
        ),
        size=8,
    )
    pdf.footer(canvas, bid.receipt_number, 1, 1)
    return pdf.finish(canvas, buffer)
