"""GEN-3, BID-2: sealed bids over the JSON API: upload info, creating an upload and sending
it with tus on the same token, its status, and the vendor's own receipts; refusals are JSON
with a code and Indonesian/English messages."""

from __future__ import annotations

import base64
import hashlib
import io
import json

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lpse.api.choices import Scope
from lpse.api.services import issue_token
from lpse.bids import crypto, keys, signing
from lpse.bids.choices import TusStatus
from lpse.bids.models import Bid, TusUpload
from lpse.bids.tests.conftest import *  # noqa: F403 - the sealed-bid fixtures
from lpse.bids.tests.helpers import at_opening, in_upload
from lpse.tenders.tests.helpers import join

PLAIN = b"%PDF-1.4 surat penawaran harga " * 3000
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_of(user, *scopes: str) -> str:
    wanted = list(scopes or (Scope.BIDS_WRITE, Scope.BIDS_READ))
    return issue_token(user, name="skrip", scopes=wanted, by=user)[1]


def seal(certificate_pem: str, content: bytes = PLAIN) -> bytes:
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(content), out, certificate)
    return out.getvalue()


def info_url(code: str) -> str:
    return f"/api/v1/tenders/{code}/bid-upload"


def create_url(code: str) -> str:
    return f"/api/v1/tenders/{code}/bid-uploads"


def create(client, code: str, secret: str, body: dict):
    return client.post(create_url(code), body, content_type="application/json", **bearer(secret))


def body_for(envelope: bytes, **extra) -> dict:
    return {
        "length": len(envelope),
        "file_name": "penawaran.p7m",
        "sha256": hashlib.sha256(envelope).hexdigest(),
        "md5": hashlib.md5(envelope).hexdigest(),  # noqa: S324 - a fingerprint, as on receipts
        **extra,
    }


def send(client, upload_url: str, secret: str, data: bytes, offset: int = 0):
    return client.generic(
        "PATCH",
        upload_url,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
        **bearer(secret),
    )


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]["id"] and body["message"]["en"]
    return body


def test_gen3_bid2_upload_info_gives_a_participant_the_certificate_and_the_deadline(
    client, participant
):
    """GEN-3, BID-2: during the upload stage the participant may upload; the answer carries
    the tender certificate and its fingerprint, the size limit, the stage and the URLs."""
    tender = participant.tender
    with in_upload():
        secret = token_of(participant.vendor.user, Scope.BIDS_READ)
        response = client.get(info_url(tender.code), **bearer(secret))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["can_upload"] is True and data["refusal"] is None and data["participant"]
    assert data["certificate_pem"] == tender.bid_key.certificate_pem
    assert data["certificate_sha256"] == tender.bid_key.certificate_sha256
    assert data["max_bytes"] == tender.bid_key.max_bytes
    assert data["upload_starts_at"] < data["server_time"] < data["upload_ends_at"]
    assert data["uploads_url"].endswith(create_url(tender.code))
    assert data["tus_url"].endswith(f"/penawaran/{tender.code}/tus/")


def test_gen3_bid2_api_upload_end_to_end_gives_a_receipt_with_our_fingerprints(client, participant):
    """GEN-3, BID-2: create from JSON (201, tus URL), PATCH the bytes with the same token, the
    upload's status names the receipt, whose signed JSON carries the envelope's and the
    declared plaintext's fingerprints and verifies against the LPSE signature."""
    tender = participant.tender
    envelope = seal(tender.bid_key.certificate_pem)
    plain = {
        "size": len(PLAIN),
        "md5": hashlib.md5(PLAIN).hexdigest(),  # noqa: S324
        "sha256": hashlib.sha256(PLAIN).hexdigest(),
    }
    with in_upload():
        secret = token_of(participant.vendor.user)
        created = create(client, tender.code, secret, body_for(envelope, plain=plain))
        assert created.status_code == 201, created.content
        upload = created.json()
        assert upload["status"] == "open" and upload["offset"] == 0
        assert upload["length"] == len(envelope)
        half = len(envelope) // 2
        assert send(client, upload["upload_url"], secret, envelope[:half]).status_code == 204
        midway = client.get(upload["status_url"], **bearer(secret)).json()
        assert (midway["status"], midway["offset"]) == ("open", half)
        done = send(client, upload["upload_url"], secret, envelope[half:], offset=half)
        assert done.status_code == 204, done.content
        status = client.get(upload["status_url"], **bearer(secret)).json()
        receipt = client.get(status["receipt_url"], **bearer(secret))
    assert status["status"] == "finished" and status["offset"] == len(envelope)
    bid = Bid.objects.get()
    assert status["receipt_id"] == bid.pk and status["receipt_number"] == bid.receipt_number
    assert receipt.status_code == 200
    data = receipt.json()
    signed = data["receipt_json"].encode()
    assert signing.verify_signature(base64.b64decode(data["signature"]), signed)
    assert data["receipt"] == json.loads(signed)
    assert data["receipt"]["sealed"]["sha256"] == hashlib.sha256(envelope).hexdigest()
    assert data["receipt"]["plain"] == plain
    assert data["receipt"]["tender"]["code"] == tender.code
    assert data["p7s_url"].endswith(f"/penawaran/tanda-terima/{bid.pk}/p7s/")


def test_gen3_bid2_no_token_is_401_and_a_token_without_the_scope_is_403(client, participant):
    """GEN-3: no token answers 401; a read-only token cannot create uploads, a tickets token
    cannot read upload info or receipts (403 scope_missing)."""
    tender = participant.tender
    envelope = seal(tender.bid_key.certificate_pem)
    user = participant.vendor.user
    with in_upload():
        assert_error(client.get(info_url(tender.code)), 401, "unauthorized")
        assert_error(client.get("/api/v1/receipts"), 401, "unauthorized")
        read_only = token_of(user, Scope.BIDS_READ)
        body = assert_error(
            create(client, tender.code, read_only, body_for(envelope)), 403, "scope_missing"
        )
        assert "bids:write" in body["message"]["en"]
        tickets = token_of(user, Scope.TICKETS_READ)
        assert_error(client.get(info_url(tender.code), **bearer(tickets)), 403, "scope_missing")
        assert_error(client.get("/api/v1/receipts", **bearer(tickets)), 403, "scope_missing")
        write_only = token_of(user, Scope.BIDS_WRITE)
        assert client.get(info_url(tender.code), **bearer(write_only)).status_code == 200
        assert_error(client.get("/api/v1/receipts", **bearer(write_only)), 403, "scope_missing")
    assert not TusUpload.objects.exists()


def test_gen3_bid2_outside_the_upload_stage_the_refusal_has_a_code(client, participant):
    """BID-2: after the stage, the info says why (not_upload_stage, both languages) and the
    creation is refused with 409 and the same code; nothing is created."""
    tender = participant.tender
    envelope = seal(tender.bid_key.certificate_pem)
    with at_opening():
        secret = token_of(participant.vendor.user)
        data = client.get(info_url(tender.code), **bearer(secret)).json()
        refused = create(client, tender.code, secret, body_for(envelope))
    assert data["can_upload"] is False
    assert data["refusal"]["code"] == "not_upload_stage"
    assert data["refusal"]["message"]["id"].startswith("Penawaran hanya dapat diunggah")
    assert data["refusal"]["message"]["en"] != data["refusal"]["message"]["id"]
    assert data["certificate_pem"] == tender.bid_key.certificate_pem  # still public
    body = assert_error(refused, 409, "not_upload_stage")
    assert body["message"]["en"] != body["message"]["id"]
    assert not TusUpload.objects.exists()


def test_gen3_bid2_non_participant_and_unknown_tender_are_refused(
    client, participant, second_company
):
    """BID-2: a vendor who did not join is told not_participant (403 on creation); an unknown
    tender is a JSON 404; a malformed code or body is a 422 naming the field."""
    tender = participant.tender
    envelope = seal(tender.bid_key.certificate_pem)
    with in_upload():
        secret = token_of(second_company.user)
        data = client.get(info_url(tender.code), **bearer(secret)).json()
        refused = create(client, tender.code, secret, body_for(envelope))
        unknown = client.get(info_url("99999999"), **bearer(secret))
        malformed = client.get(info_url("12ab"), **bearer(secret))
        bad_hash = create(client, tender.code, secret, body_for(envelope, sha256="xyz"))
        bad_name = create(client, tender.code, secret, body_for(envelope, file_name="a/../b"))
    assert data["can_upload"] is False and data["participant"] is False
    assert data["refusal"]["code"] == "not_participant"
    assert_error(refused, 403, "not_participant")
    assert_error(unknown, 404, "not_found")
    assert_error(malformed, 422, "invalid")
    assert assert_error(bad_hash, 422, "invalid")["errors"][0]["loc"][-1] == "sha256"
    assert assert_error(bad_name, 422, "invalid")["errors"][0]["loc"][-1] == "file_name"


def test_gen3_bid2_too_large_wrong_certificate_and_partial_plaintext_are_refused(
    client, participant
):
    """BID-2: a length above the tender's limit is 413 too_large; a declared certificate that
    is not the tender's is 409 certificate_mismatch; a partial plaintext fingerprint is 422."""
    tender = participant.tender
    envelope = seal(tender.bid_key.certificate_pem)
    with in_upload():
        secret = token_of(participant.vendor.user)
        big = create(
            client, tender.code, secret, body_for(envelope, length=tender.bid_key.max_bytes + 1)
        )
        other = create(
            client, tender.code, secret, body_for(envelope, certificate_sha256="ab" * 32)
        )
        partial = create(
            client, tender.code, secret, body_for(envelope, plain={"sha256": "cd" * 32})
        )
    assert_error(big, 413, "too_large")
    assert_error(other, 409, "certificate_mismatch")
    assert "plain" in assert_error(partial, 422, "invalid")["errors"][0]["loc"]
    assert not TusUpload.objects.exists()


def test_gen3_bid2_envelope_for_another_tender_is_refused_by_the_server(client, participant):
    """BID-2: a client that skips the local check and sends an envelope sealed for another
    certificate gets 422 on the last byte; the upload is aborted with the reason, no bid."""
    tender = participant.tender
    other = keys.self_signed_certificate(keys.generate_key_pair(2048), "Paket lain", 30)
    envelope = seal(other.public_bytes(serialization.Encoding.PEM).decode())
    with in_upload():
        secret = token_of(participant.vendor.user)
        upload = create(client, tender.code, secret, body_for(envelope)).json()
        refused = send(client, upload["upload_url"], secret, envelope)
        status = client.get(upload["status_url"], **bearer(secret)).json()
    assert refused.status_code == 422
    assert status["status"] == TusStatus.ABORTED and "sertifikat tender" in status["error"]
    assert status["receipt_id"] is None
    assert not Bid.objects.exists()


def test_gen3_bid2_receipts_and_uploads_are_the_vendors_own(
    client, participant, second_participant
):
    """GEN-3, BID-2: vendor B lists only its own receipts and gets 404 for vendor A's receipt
    and upload; the list costs the same queries for one receipt or three."""
    tender = participant.tender
    a_user, b_user = participant.vendor.user, second_participant.vendor.user
    with in_upload():
        a_secret, b_secret = token_of(a_user), token_of(b_user)
        uploads = []
        for content in (b"satu", b"dua", b"tiga"):
            envelope = seal(tender.bid_key.certificate_pem, content)
            upload = create(client, tender.code, a_secret, body_for(envelope)).json()
            assert send(client, upload["upload_url"], a_secret, envelope).status_code == 204
            uploads.append(upload)
        envelope = seal(tender.bid_key.certificate_pem, b"punya B")
        b_upload = create(client, tender.code, b_secret, body_for(envelope)).json()
        send(client, b_upload["upload_url"], b_secret, envelope)
        a_bids = list(Bid.objects.filter(participant=participant).order_by("-pk"))
        a_list = client.get("/api/v1/receipts", **bearer(a_secret)).json()
        b_list = client.get("/api/v1/receipts", **bearer(b_secret)).json()
        other_receipt = client.get(f"/api/v1/receipts/{a_bids[0].pk}", **bearer(b_secret))
        other_upload = client.get(uploads[0]["status_url"], **bearer(b_secret))
        huge = client.get(f"/api/v1/receipts/{2**70}", **bearer(a_secret))
        filtered = client.get(f"/api/v1/receipts?tender={tender.code}&limit=1", **bearer(a_secret))
        client.get("/api/v1/receipts", **bearer(b_secret))  # warm the token's last-used mark
        one, three = data_queries(client, b_secret), data_queries(client, a_secret)
    assert [item["id"] for item in a_list["items"]] == [bid.pk for bid in a_bids]
    assert [item["status"] for item in a_list["items"]] == ["submitted", "superseded", "superseded"]
    assert b_list["count"] == 1 and b_list["items"][0]["tender"] == tender.code
    assert b_list["items"][0]["id"] not in {bid.pk for bid in a_bids}
    assert_error(other_receipt, 404, "not_found")
    assert_error(other_upload, 404, "not_found")
    assert_error(huge, 422, "invalid")
    assert filtered.json()["count"] == 3 and len(filtered.json()["items"]) == 1
    # token, roles, company, count, page: the same for one receipt or three
    assert len(one) == len(three) == 5, three


def data_queries(client, secret: str) -> list[str]:
    """The queries of one receipts list, without the rate limiter's (the shared cache is the
    database on SQLite, Redis elsewhere)."""
    with CaptureQueriesContext(connection) as context:
        assert client.get("/api/v1/receipts", **bearer(secret)).status_code == 200
    return [
        query["sql"]
        for query in context.captured_queries
        if "lpse_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]


def test_gen3_bid2_a_vendor_who_joined_later_sees_the_new_state(client, keyed_tender, company):
    """BID-2: the info follows the pages' rules: once the company joins, it may upload."""
    with in_upload():
        secret = token_of(company.user)
        before = client.get(info_url(keyed_tender.code), **bearer(secret)).json()
    join(keyed_tender, company)
    with in_upload():
        after = client.get(info_url(keyed_tender.code), **bearer(secret)).json()
    assert before["refusal"]["code"] == "not_participant" and after["can_upload"] is True
