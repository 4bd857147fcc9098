"""BID-2: receipts (tanda terima) signed by the LPSE: page, JSON, .p7s verified with the real
openssl binary, PDF, e-mail with attachments; only the bid's own vendor gets them."""

from __future__ import annotations

import json
import subprocess

from django.core import mail
from django.urls import reverse

from lpse.conftest import login, require_tool

from ..models import Bid
from .helpers import in_upload
from .test_submission import post_bid


def submit(client, participant, django_capture_on_commit_callbacks):
    with in_upload(), django_capture_on_commit_callbacks(execute=True):
        login(client, participant.vendor.user)
        response = post_bid(client, participant.tender, ("harga.pdf", b"%PDF-1.4 penawaran"))
    assert response.status_code == 201
    return Bid.objects.get(pk=response.json()["bid"])


def test_receipt_signature_verifies_with_openssl(
    client, participant, tmp_path, django_capture_on_commit_callbacks
):
    """BID-2: the receipt JSON and its detached CMS signature (.p7s) download, and
    `openssl cms -verify` accepts them against the LPSE CA certificate; a changed byte fails."""
    openssl = require_tool("openssl")
    bid = submit(client, participant, django_capture_on_commit_callbacks)
    with in_upload(2):
        login(client, participant.vendor.user)
        content = client.get(reverse("bids:receipt_json", kwargs={"pk": bid.pk})).content
        signature = client.get(reverse("bids:receipt_p7s", kwargs={"pk": bid.pk})).content
        ca = client.get(reverse("bids:ca_certificate")).content
    (tmp_path / "receipt.json").write_bytes(content)
    (tmp_path / "receipt.p7s").write_bytes(signature)
    (tmp_path / "ca.crt").write_bytes(ca)
    receipt = json.loads(content)
    assert receipt["sealed"]["sha256"] == bid.sealed_sha256
    assert receipt["tender"]["code"] == participant.tender.code
    assert receipt["vendor"]["name"] == participant.vendor.name
    command = [
        openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "receipt.p7s",
        "-content", "receipt.json", "-CAfile", "ca.crt", "-purpose", "any", "-out", "/dev/null",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Verification successful" in done.stderr
    (tmp_path / "receipt.json").write_bytes(content.replace(bid.sealed_sha256.encode(), b"0" * 64))
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode != 0


def test_receipt_page_pdf_and_email(client, participant, django_capture_on_commit_callbacks):
    """BID-2: the receipt is shown on the page, downloadable as PDF and e-mailed with the
    JSON and signature attached."""
    bid = submit(client, participant, django_capture_on_commit_callbacks)
    with in_upload(2):
        login(client, participant.vendor.user)
        page = client.get(reverse("bids:receipt", kwargs={"pk": bid.pk}))
        pdf = client.get(reverse("bids:receipt_pdf", kwargs={"pk": bid.pk}))
    assert page.status_code == 200
    assert bid.sealed_sha256 in page.content.decode() and bid.plain_md5 in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert bid.sealed_sha256.encode() in pdf.content
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert bid.receipt_number in message.subject
    assert bid.sealed_sha256 in message.body
    names = [attachment[0] for attachment in message.attachments]
    assert names == [f"{bid.receipt_number}.json", f"{bid.receipt_number}.p7s"]


def test_receipt_is_not_shown_to_another_vendor_or_outsider(
    client, participant, second_participant, outsider, django_capture_on_commit_callbacks
):
    """BID-2: another vendor or an outsider gets 404/403 for somebody else's receipt."""
    bid = submit(client, participant, django_capture_on_commit_callbacks)
    with in_upload(2):
        login(client, second_participant.vendor.user)
        for name in ("bids:receipt", "bids:receipt_pdf", "bids:receipt_json", "bids:receipt_p7s"):
            assert client.get(reverse(name, kwargs={"pk": bid.pk})).status_code == 404
        login(client, outsider)
        assert client.get(reverse("bids:receipt", kwargs={"pk": bid.pk})).status_code == 403
