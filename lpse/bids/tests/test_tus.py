"""BID-2: resumable upload of pre-sealed envelopes with the tus 1.0 protocol: create, HEAD,
PATCH with offset checks, resume after a broken PATCH, token auth, refusals."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from cryptography import x509
from django.test import Client
from django.urls import reverse

from lpse.api.selectors import active_token
from lpse.api.services import issue_token
from lpse.conftest import login

from .. import crypto, keys, storage, tus_services
from ..choices import BidSource, BidStatus, TusStatus
from ..models import Bid, TusUpload
from ..selectors import UPLOAD_TOKEN_SCOPES
from .helpers import in_upload

TUS = {"Tus-Resumable": "1.0.0"}


def envelope_for(tender, content: bytes = b"%PDF-1.4 penawaran tersegel " * 4000) -> bytes:
    certificate = x509.load_pem_x509_certificate(tender.bid_key.certificate_pem.encode())
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(content), out, certificate)
    return out.getvalue()


def create(client, tender, data: bytes, *, name="penawaran.p7m", headers=None, **extra):
    meta = "filename " + base64.b64encode(name.encode()).decode()
    if "sha256" in extra:
        meta += ",sha256 " + base64.b64encode(extra["sha256"].encode()).decode()
    return client.post(
        reverse("bids:tus_create", kwargs={"code": tender.code}),
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": meta,
            **(headers or {}),
        },
    )


def patch(client, location, offset: int, body: bytes, headers=None):
    return client.generic(
        "PATCH",
        location,
        body,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset), **(headers or {})},
    )


class BrokenStream:
    """A request body whose connection drops after `limit` bytes."""

    def __init__(self, data: bytes, limit: int):
        self.data, self.limit, self.position = data, limit, 0

    def read(self, size: int) -> bytes:
        if self.position >= self.limit:
            raise OSError("connection reset by peer")
        chunk = self.data[self.position : min(self.position + size, self.limit)]
        self.position += len(chunk)
        return chunk


def test_options_announce_the_protocol(client, participant):
    """BID-2: OPTIONS answers Tus-Version, extensions and the size limit."""
    with in_upload():
        login(client, participant.vendor.user)
        response = client.options(
            reverse("bids:tus_create", kwargs={"code": participant.tender.code})
        )
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert "creation" in response["Tus-Extension"]
    assert int(response["Tus-Max-Size"]) > 0


def test_tus_upload_resumes_after_a_broken_patch(client, participant, bids_dir):
    """BID-2: a PATCH broken mid-way keeps the bytes received; HEAD gives the offset, a PATCH
    at a wrong offset is 409, the client continues from the confirmed byte and the finished
    envelope becomes a bid with a receipt whose fingerprint matches the client's."""
    tender = participant.tender
    data = envelope_for(tender)
    digest = hashlib.sha256(data).hexdigest()
    with in_upload():
        login(client, participant.vendor.user)
        response = create(client, tender, data, sha256=digest)
        assert response.status_code == 201, response.content
        location = response["Location"]
        assert response["Tus-Resumable"] == "1.0.0"
        response = patch(client, location, 0, data[:10000])
        assert response.status_code == 204 and response["Upload-Offset"] == "10000"
        upload = TusUpload.objects.get()
        # The connection drops in the middle of the next PATCH.
        with pytest.raises(OSError):
            tus_services.append(
                upload,
                offset=10000,
                stream=BrokenStream(data[10000:], 25000),
                content_length=len(data) - 10000,
                by=participant.vendor.user,
            )
        head = client.head(location, headers=TUS)
        assert head.status_code == 200
        offset = int(head["Upload-Offset"])
        assert offset == 35000 and head["Upload-Length"] == str(len(data))
        assert not Bid.objects.exists()
        assert patch(client, location, 10000, data[10000:]).status_code == 409
        response = patch(client, location, offset, data[offset:])
    assert response.status_code == 204, response.content
    bid = Bid.objects.get()
    assert response["Lpse-Receipt"] == bid.receipt_number
    assert bid.source == BidSource.PRESEALED and bid.status == BidStatus.SUBMITTED
    assert bid.sealed_sha256 == digest and bid.sealed_size == len(data)
    assert storage.path_of(bid.sealed_name).read_bytes() == data
    assert TusUpload.objects.get().status == TusStatus.FINISHED
    assert not list((bids_dir / "tus").glob("*.part"))


def test_presealed_for_another_tender_is_refused(client, participant, bids_dir):
    """BID-2: an envelope sealed for another certificate is refused at the end, clearly, and
    nothing is kept."""
    other_key = keys.generate_key_pair(2048)
    other = keys.self_signed_certificate(other_key, "Tender lain", 30)
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(b"penawaran untuk tender lain"), out, other)
    data = out.getvalue()
    with in_upload():
        login(client, participant.vendor.user)
        location = create(client, participant.tender, data)["Location"]
        response = patch(client, location, 0, data)
    assert response.status_code == 422
    assert "tidak disegel untuk sertifikat tender ini" in response.content.decode()
    assert not Bid.objects.exists()
    assert TusUpload.objects.get().status == TusStatus.ABORTED
    assert not list(bids_dir.rglob("*.part")) and not list(bids_dir.rglob("*.p7m"))


def test_garbage_is_refused_as_not_an_envelope(client, participant):
    """BID-2: a plain file uploaded as pre-sealed is refused (not CMS)."""
    data = b"%PDF-1.4 bukan amplop" * 100
    with in_upload():
        login(client, participant.vendor.user)
        location = create(client, participant.tender, data)["Location"]
        response = patch(client, location, 0, data)
    assert response.status_code == 422
    assert not Bid.objects.exists()


def test_checksum_mismatch_is_refused(client, participant):
    """BID-2: when the client's SHA-256 does not match the bytes received, no bid."""
    data = envelope_for(participant.tender)
    with in_upload():
        login(client, participant.vendor.user)
        location = create(client, participant.tender, data, sha256="0" * 64)["Location"]
        response = patch(client, location, 0, data)
    assert response.status_code == 422
    assert not Bid.objects.exists()


def api_token(user, *scopes: str) -> str:
    return issue_token(user, name="laptop", scopes=list(scopes or UPLOAD_TOKEN_SCOPES), by=user)[1]


def test_token_auth_and_protocol_errors(client, participant):
    """BID-2, GEN-3: scripts authenticate with an API token with scope bids:write; bad tokens,
    a token without that scope, a missing Tus-Resumable header and an oversize Upload-Length
    are refused with the protocol's statuses."""
    tender = participant.tender
    data = envelope_for(tender, b"kecil")
    with in_upload():
        token = api_token(participant.vendor.user)
        bearer = {"Authorization": f"Bearer {token}"}
        anonymous = Client()
        assert create(anonymous, tender, data).status_code == 401
        assert (
            create(anonymous, tender, data, headers={"Authorization": "Bearer x"}).status_code
            == 401
        )
        read_only = {"Authorization": f"Bearer {api_token(participant.vendor.user, 'bids:read')}"}
        refused = create(anonymous, tender, data, headers=read_only)
        assert refused.status_code == 403 and "bids:write" in refused.content.decode()
        response = create(anonymous, tender, data, headers=bearer)
        assert response.status_code == 201
        url = reverse("bids:tus_create", kwargs={"code": tender.code})
        assert anonymous.post(url, headers={**bearer, "Upload-Length": "5"}).status_code == 412
        too_big = {**TUS, **bearer, "Upload-Length": str(10**12)}
        assert anonymous.post(url, headers=too_big).status_code == 413
        response = patch(anonymous, response["Location"], 0, data, headers=bearer)
    assert response.status_code == 204
    assert Bid.objects.get().submitted_by == participant.vendor.user


def test_other_users_upload_is_not_found(client, participant, second_participant):
    """BID-2: an upload belongs to its user: another vendor gets 404."""
    data = envelope_for(participant.tender, b"x")
    with in_upload():
        login(client, participant.vendor.user)
        location = create(client, participant.tender, data)["Location"]
        login(client, second_participant.vendor.user)
        assert client.head(location, headers=TUS).status_code == 404
        assert patch(client, location, 0, data).status_code == 404


def test_stale_uploads_are_cleaned_up(client, participant, settings):
    """BID-2: an unfinished resumable upload older than LPSE_BID_STALE_HOURS is aborted and its
    bytes removed by the hourly cleanup; a fresh one is left alone."""
    from ..cleanup import cleanup

    data = envelope_for(participant.tender, b"x")
    with in_upload(1):
        login(client, participant.vendor.user)
        stale = create(client, participant.tender, data)["Location"]
        patch(client, stale, 0, data[:100])
    with in_upload(1 + settings.LPSE_BID_STALE_HOURS + 1):
        login(client, participant.vendor.user)
        create(client, participant.tender, data)
        counts = cleanup()
    assert counts["tus"] == 1
    statuses = sorted(TusUpload.objects.values_list("status", flat=True))
    assert statuses == [TusStatus.ABORTED, TusStatus.OPEN]
    assert len(list(storage.directory("tus").glob("*.part"))) == 1


def test_vendor_creates_and_revokes_an_upload_token(client, participant):
    """BID-2, GEN-3: the token page issues an API token (bids:write, bids:read) shown once; a
    revoked token no longer authenticates, neither on tus nor on the API."""
    tender = participant.tender
    data = envelope_for(tender, b"kecil")
    with in_upload():
        login(client, participant.vendor.user)
        response = client.post(reverse("bids:tokens"), {"label": "laptop kantor"})
        assert response.status_code == 200
        token = response.context["new_token"]
        assert token in response.content.decode()
        row = active_token(token)
        assert row.user == participant.vendor.user and row.name == "laptop kantor"
        assert row.scopes == ["bids:write", "bids:read"]
        page = client.get(reverse("bids:tokens")).content.decode()
        assert row.prefix in page and "bids:write, bids:read" in page
        bearer = {"Authorization": f"Bearer {token}"}
        assert create(Client(), tender, data, headers=bearer).status_code == 201
        client.post(reverse("bids:tokens"), {"revoke": str(row.pk)})
        assert create(Client(), tender, data, headers=bearer).status_code == 401
    assert active_token(token) is None
    assert Client().get("/api/v1/tokens/me", headers=bearer).status_code == 401
