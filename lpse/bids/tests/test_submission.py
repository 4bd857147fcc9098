"""BID-2: sealed bid submission through the browser (sealed by the server while it
streams in), the upload stage to the second, who may submit, and supersede."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from lpse.conftest import login
from lpse.tenders.choices import StageKind
from lpse.tenders.tests.helpers import activated_vendor, during, join, travel

from .. import opening, storage
from ..choices import BidSource, BidStatus, OpeningOutcome
from ..models import Bid, BidTransition
from .helpers import UPLOAD_END, UPLOAD_START, at_opening, files, in_upload, passphrases_of

MARKER = b"RAHASIA-HARGA-PENAWARAN-1234567890"


def post_bid(client, tender, *items, json_response=True):
    headers = {"Accept": "application/json"} if json_response else {}
    return client.post(
        reverse("bids:upload", kwargs={"code": tender.code}),
        {"files": files(*items)},
        headers=headers,
    )


def all_bytes_under(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.rglob("*") if p.is_file())


def test_browser_upload_is_sealed_streaming_and_gets_a_receipt(client, participant, bids_dir):
    """BID-2: the plaintext is sealed while it streams in; only the envelope is on disk, named
    by its SHA-256; the receipt carries both fingerprints and each file's."""
    doc = MARKER * 5000
    with in_upload():
        login(client, participant.vendor.user)
        response = post_bid(client, participant.tender, ("harga.pdf", doc), ("teknis.pdf", b"x"))
    assert response.status_code == 201, response.content
    bid = Bid.objects.get()
    assert response.json()["receipt"] == bid.receipt_number
    assert bid.status == BidStatus.SUBMITTED and bid.source == BidSource.BROWSER
    path = storage.path_of(bid.sealed_name)
    assert path.name == f"{bid.sealed_sha256}.p7m"
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == bid.sealed_sha256 and len(data) == bid.sealed_size
    assert MARKER not in all_bytes_under(bids_dir)  # plaintext never written
    assert not list((bids_dir / "tmp").glob("*"))
    assert [f["name"] for f in bid.files] == ["harga.pdf", "teknis.pdf"]
    assert bid.files[0]["sha256"] == hashlib.sha256(doc).hexdigest()
    receipt = json.loads(bid.receipt_json)
    assert receipt["sealed"]["sha256"] == bid.sealed_sha256
    assert receipt["plain"]["md5"] == bid.plain_md5
    assert BidTransition.objects.filter(object_id=str(bid.pk), to_state="submitted").exists()


def test_opened_browser_bid_is_a_zip_of_the_files_and_manifest(client, participant, members):
    """BID-2/BID-4: after opening, the content is a ZIP of the uploaded files + manifest."""
    with in_upload():
        login(client, participant.vendor.user)
        post_bid(client, participant.tender, ("harga.pdf", b"%PDF-1.4 harga"))
    with at_opening():
        result = opening.open_bids(
            participant.tender, passphrases=passphrases_of(members[:2]), by=members[0]
        )
    row = result.results.get()
    assert row.outcome == OpeningOutcome.OPENED
    with zipfile.ZipFile(storage.path_of(row.plain_name)) as archive:
        assert archive.read("harga.pdf") == b"%PDF-1.4 harga"
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"][0]["sha256"] == hashlib.sha256(b"%PDF-1.4 harga").hexdigest()


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (UPLOAD_START - timedelta(seconds=1), False),
        (UPLOAD_START, True),
        (UPLOAD_END - timedelta(seconds=1), True),
        (UPLOAD_END, False),
        (UPLOAD_END + timedelta(seconds=1), False),
    ],
)
def test_upload_stage_is_enforced_to_the_second(client, participant, moment, accepted):
    """BID-2: uploads only during the bid upload stage, to the second by server time."""
    with travel(moment):
        login(client, participant.vendor.user)
        response = post_bid(client, participant.tender, ("a.pdf", b"isi"))
    assert (response.status_code == 201) is accepted
    assert Bid.objects.exists() is accepted
    if not accepted:
        assert response.status_code == 409
        assert "Upload Dokumen Penawaran" in response.json()["error"]


def test_deadline_is_checked_again_inside_the_lock(participant, bids_dir):
    """BID-2: an upload that started in time but completes after the deadline gets no bid and
    leaves no file (the stage is re-read under the participant row lock)."""
    from cryptography import x509

    from .. import crypto
    from ..sealing import SealingUploadHandler  # noqa: F401 - same path the view uses
    from ..submission import submit_bid

    tender_key = participant.tender.bid_key
    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode())
    temp, handle = storage.new_temp_file()
    with handle:
        result = crypto.seal_stream(io.BytesIO(b"terlambat"), handle, certificate)
    with travel(UPLOAD_END):
        from ..errors import BidError

        with pytest.raises(BidError):
            submit_bid(
                participant,
                temp_path=temp,
                sealed=result.sealed,
                plain=result.plain,
                source=BidSource.BROWSER,
                by=participant.vendor.user,
            )
    assert not Bid.objects.exists()
    assert not list((bids_dir / "sealed").rglob("*.p7m"))


def test_vendor_not_joined_is_refused(client, keyed_tender, second_company):
    """BID-2: a verified vendor that did not join the tender cannot upload."""
    with in_upload():
        login(client, second_company.user)
        response = post_bid(client, keyed_tender, ("a.pdf", b"isi"))
    assert response.status_code == 403
    assert "belum terdaftar" in response.json()["error"]
    assert not Bid.objects.exists()


def test_unverified_vendor_is_refused(client, keyed_tender, media):
    """BID-2: a participant whose company is no longer verified/active cannot upload."""
    company = activated_vendor("cv_baru", "CV Baru", "112233445566778", "cv@baru.co.id")
    join(keyed_tender, company)
    company.activated_at = None
    company.save(update_fields=["activated_at"])
    with in_upload():
        login(client, company.user)
        response = post_bid(client, keyed_tender, ("a.pdf", b"isi"))
    assert response.status_code == 403
    assert not Bid.objects.exists()


def test_reupload_supersedes_the_previous_bid(client, participant):
    """BID-2: a re-upload before the deadline replaces the bid; the old one stays in history."""
    with in_upload(1):
        login(client, participant.vendor.user)
        first = post_bid(client, participant.tender, ("a.pdf", b"versi satu")).json()
    with in_upload(2):
        login(client, participant.vendor.user)
        second = post_bid(client, participant.tender, ("a.pdf", b"versi dua")).json()
    old, new = Bid.objects.get(pk=first["bid"]), Bid.objects.get(pk=second["bid"])
    assert old.status == BidStatus.SUPERSEDED and old.superseded_by == new
    assert new.status == BidStatus.SUBMITTED
    assert json.loads(new.receipt_json)["supersedes"] == old.receipt_number
    assert BidTransition.objects.filter(object_id=str(old.pk), to_state="superseded").exists()
    assert storage.path_of(old.sealed_name).exists()  # kept in history


def test_empty_upload_is_refused_with_a_message(client, participant):
    """BID-2: no file -> a clear message, nothing stored."""
    with in_upload():
        login(client, participant.vendor.user)
        response = client.post(
            reverse("bids:upload", kwargs={"code": participant.tender.code}),
            {},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 400
    assert not Bid.objects.exists()


def test_too_large_upload_is_refused(client, participant, settings, bids_dir):
    """BID-2: the per-tender size limit refuses a larger bid and keeps nothing."""
    key = participant.tender.bid_key
    key.max_bid_mb = 1
    key.save(update_fields=["max_bid_mb"])
    with in_upload():
        login(client, participant.vendor.user)
        response = post_bid(client, participant.tender, ("besar.bin", b"\0" * (3 * 1024 * 1024)))
    assert response.status_code == 413
    assert not Bid.objects.exists()
    assert not list((bids_dir / "tmp").glob("*"))


def test_vendor_page_shows_times_and_history(client, participant):
    """BID-2: the bid page shows the stage, the server time and the certificate link."""
    with in_upload():
        login(client, participant.vendor.user)
        post_bid(client, participant.tender, ("a.pdf", b"isi"))
        response = client.get(reverse("bids:bid_page", kwargs={"code": participant.tender.code}))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"tender-{participant.tender.code}.crt" in body
    assert Bid.objects.get().receipt_number in body
    with travel(during(StageKind.EVALUATION)):
        login(client, participant.vendor.user)
        response = client.get(reverse("bids:bid_page", kwargs={"code": participant.tender.code}))
    assert "bid-upload" not in response.content.decode()
