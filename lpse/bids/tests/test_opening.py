"""BID-4: tender keys and the opening: k-of-n passphrases, only after the opening time,
only by the tender's Pokja; each bid checked against its receipt; failures recorded with
their code; the plaintext reachable by the Pokja only."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.conftest import login, make_user
from lpse.tenders.tests.helpers import T0, as_user, travel

from .. import crypto, key_services, keys, opening, storage
from ..choices import FailureCode, KeyMode, OpeningOutcome
from ..errors import BidError
from ..models import Bid, BidOpening, KeyShare, Opening, TenderKey
from .helpers import OPENING_START, PASSPHRASES, at_opening, in_upload, passphrases_of
from .test_submission import post_bid
from .test_tus import create, envelope_for, patch


def submit_browser(client, participant, content=b"%PDF-1.4 harga"):
    with in_upload():
        login(client, participant.vendor.user)
        response = post_bid(client, participant.tender, ("harga.pdf", content))
    assert response.status_code == 201
    return Bid.objects.get(pk=response.json()["bid"])


def submit_presealed(client, participant, data):
    with in_upload(2):
        login(client, participant.vendor.user)
        location = create(client, participant.tender, data)["Location"]
        assert patch(client, location, 0, data).status_code == 204
    return Bid.objects.get(participant=participant, status="submitted")


def test_key_is_split_and_never_stored_whole(keyed_tender, members):
    """BID-4: the server key is certified by the LPSE CA, its private key stored only encrypted,
    one passphrase-protected share per member."""
    tender_key = TenderKey.objects.get(tender=keyed_tender)
    assert tender_key.mode == KeyMode.SERVER_SHARES
    assert (tender_key.threshold, tender_key.share_count) == (2, 3)
    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode())
    assert keyed_tender.code in certificate.subject.rfc4514_string()
    assert b"PRIVATE KEY" not in bytes(tender_key.encrypted_private_key)
    assert set(KeyShare.objects.values_list("member", flat=True)) == {m.pk for m in members}
    for share in KeyShare.objects.all():
        with pytest.raises(keys.ShareError):
            keys.combine_private_key(
                bytes(tender_key.encrypted_private_key), [(bytes(share.share), "salah sekali")]
            )


def test_key_ceremony_needs_every_members_passphrase(tender, members, bids_dir):
    """BID-4: the key is not created until every member typed a passphrase."""
    from lpse.tenders import services as tender_services

    with travel(T0 + timedelta(hours=2)):
        for user in members[1:]:
            tender_services.add_member(tender, user, by=members[0])
        with pytest.raises(BidError, match="Belum lengkap"):
            key_services.create_server_key(
                tender, threshold=2, passphrases=passphrases_of(members[:2]), by=members[0]
            )
    assert not TenderKey.objects.exists()


def test_opening_with_k_minus_one_shares_is_refused(client, participant, members):
    """BID-4: one passphrase of a 2-of-3 key opens nothing."""
    submit_browser(client, participant)
    with at_opening(), pytest.raises(BidError, match="minimal 2"):
        opening.open_bids(
            participant.tender, passphrases=passphrases_of(members[:1]), by=members[0]
        )
    assert not Opening.objects.exists() and not BidOpening.objects.exists()


def test_wrong_passphrase_names_the_member(client, participant, members):
    """BID-4: a wrong passphrase is refused, naming whose it is."""
    submit_browser(client, participant)
    passphrases = passphrases_of(members[:2]) | {members[1].pk: "bukan frasa yang benar"}
    with at_opening(), pytest.raises(BidError, match="pokja2"):
        opening.open_bids(participant.tender, passphrases=passphrases, by=members[0])
    assert not Opening.objects.exists()


def test_opening_before_the_opening_time_is_refused(client, participant, members):
    """BID-4: no opening before the opening stage starts, even with every share."""
    submit_browser(client, participant)
    with travel(OPENING_START - timedelta(seconds=1)), pytest.raises(BidError, match="mulai"):
        opening.open_bids(participant.tender, passphrases=passphrases_of(members), by=members[0])
    assert not Opening.objects.exists()


def test_only_the_tenders_pokja_opens(client, participant, members):
    """BID-4: a committee user outside this tender's Pokja cannot open."""
    submit_browser(client, participant)
    stranger = make_user("pokja_lain", Role.COMMITTEE)
    with at_opening(), pytest.raises(BidError, match="Hanya anggota Pokja"):
        opening.open_bids(participant.tender, passphrases=passphrases_of(members), by=stranger)


def test_all_bids_open_and_failures_get_their_code(
    client, participant, second_participant, members, media
):
    """BID-4: all bids open in one action; a stored file changed after the receipt fails with
    fingerprint_mismatch, an envelope damaged before sealing's tag with tampered, a missing
    file with missing_file; opened ones match their receipt."""
    from lpse.tenders.tests.helpers import activated_vendor, join

    good = submit_browser(client, participant, b"%PDF-1.4 harga baik")
    data = bytearray(envelope_for(participant.tender))
    data[len(data) // 2] ^= 0x01  # damaged before upload: receipt matches, the GCM tag does not
    damaged = submit_presealed(client, second_participant, bytes(data))
    third = join(
        participant.tender, activated_vendor("cv_3", "CV Tiga", "111222333444555", "t@3.id")
    )
    changed = submit_browser(client, third, b"%PDF-1.4 akan diubah")
    path = storage.path_of(changed.sealed_name)
    stored = bytearray(path.read_bytes())
    stored[len(stored) // 2] ^= 0x01
    path.write_bytes(bytes(stored))  # changed on disk after the receipt
    fourth = join(
        participant.tender, activated_vendor("cv_4", "CV Empat", "111222333444556", "e@4.id")
    )
    missing = submit_browser(client, fourth, b"%PDF-1.4 hilang")
    storage.path_of(missing.sealed_name).unlink()
    with at_opening():
        result = opening.open_bids(
            participant.tender, passphrases=passphrases_of(members[1:]), by=members[1]
        )
    outcomes = {r.bid_id: (r.outcome, r.failure_code) for r in result.results.all()}
    assert outcomes == {
        good.pk: (OpeningOutcome.OPENED, ""),
        damaged.pk: (OpeningOutcome.FAILED, FailureCode.TAMPERED),
        changed.pk: (OpeningOutcome.FAILED, FailureCode.FINGERPRINT_MISMATCH),
        missing.pk: (OpeningOutcome.FAILED, FailureCode.MISSING_FILE),
    }
    assert (result.opened_count, result.failed_count) == (1, 3)
    opened = result.results.get(bid=good)
    assert storage.path_of(opened.plain_name).is_file()
    assert opened.plain_sha256 == good.plain_sha256
    damaged_row = result.results.get(bid=damaged)
    assert damaged_row.message and not damaged_row.plain_name
    with at_opening(1), pytest.raises(BidError, match="sudah dibuka"):
        opening.open_bids(participant.tender, passphrases=passphrases_of(members), by=members[0])


def test_plaintext_reachable_only_by_the_pokja(client, participant, members, outsider):
    """BID-4: the opened plaintext downloads for a member of the tender's Pokja; the vendor who
    sent it, an outsider and another Pokja get 403/404."""
    submit_browser(client, participant, b"%PDF-1.4 isi rahasia")
    with at_opening():
        result = opening.open_bids(
            participant.tender, passphrases=passphrases_of(members), by=members[0]
        )
    row = result.results.get()
    url = reverse("bids:opened_download", kwargs={"code": participant.tender.code, "pk": row.pk})
    moment = OPENING_START + timedelta(hours=1)
    with as_user(client, members[2], moment):
        response = client.get(url)
        assert response.status_code == 200
        assert b"isi rahasia" in b"".join(response.streaming_content)
    with travel(moment):
        login(client, participant.vendor.user)
        assert client.get(url).status_code == 403
        login(client, outsider)
        assert client.get(url).status_code == 403
    with as_user(client, make_user("pokja_lain", Role.COMMITTEE), moment):
        assert client.get(url).status_code == 404
    from django.conf import settings

    plain = storage.path_of(row.plain_name)
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):  # never a public file
        assert not plain.is_relative_to(public)


def test_committee_opens_through_the_page(client, participant, members):
    """BID-4: the opening page takes k passphrases and shows the results."""
    submit_browser(client, participant)
    url = reverse("bids:open", kwargs={"code": participant.tender.code})
    with as_user(client, members[0], OPENING_START + timedelta(minutes=5)):
        response = client.post(url, {f"pass_{members[0].pk}": PASSPHRASES["pokja"]})
        assert response.status_code == 400
        assert "minimal 2" in response.content.decode()
        response = client.post(
            url,
            {
                f"pass_{members[0].pk}": PASSPHRASES["pokja"],
                f"pass_{members[2].pk}": PASSPHRASES["pokja3"],
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("bids:manage", kwargs={"code": participant.tender.code}))
    assert page.status_code == 200
    assert "Berhasil dibuka" in page.content.decode()


def test_offline_certificate_and_key_file(client, tender, pokja, company, bids_dir):
    """BID-4: the committee uploads only a certificate made offline; vendors seal for it; the
    committee opens with the private key file."""
    from lpse.tenders.tests.helpers import join

    key = keys.generate_key_pair(2048)
    certificate = keys.self_signed_certificate(key, "Tender luring", 60)
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    with as_user(client, pokja, T0 + timedelta(hours=2)):
        response = client.post(
            reverse("bids:key_create", kwargs={"code": tender.code}),
            {"mode": "offline", "certificate": SimpleUploadedFile("tender.crt", pem)},
        )
    assert response.status_code == 302, response.content
    assert TenderKey.objects.get().mode == KeyMode.OFFLINE_CERTIFICATE
    participant = join(tender, company)
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(b"penawaran luring"), out, certificate)
    bid = submit_presealed(client, participant, out.getvalue())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"sandi-berkas"),
    )
    with at_opening():
        with pytest.raises(BidError, match="unggah berkas kunci"):
            opening.open_bids(tender, passphrases={}, by=pokja)
        with pytest.raises(BidError, match="kata sandinya salah"):
            opening.open_bids(tender, key_file=key_pem, key_password="salah", by=pokja)
        result = opening.open_bids(tender, key_file=key_pem, key_password="sandi-berkas", by=pokja)
    row = result.results.get(bid=bid)
    assert row.outcome == OpeningOutcome.OPENED
    assert storage.path_of(row.plain_name).read_bytes() == b"penawaran luring"
