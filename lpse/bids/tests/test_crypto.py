"""Streaming CMS envelopes and their interop with the real openssl binary (BID-3, ERR-1)."""

# ruff: noqa: F811  (fixtures imported from seal_fixtures)

from __future__ import annotations

import hashlib
import io
import os
import signal

import pytest

from lpse.bids import crypto
from lpse.conftest import require_tool

from .seal_fixtures import leftovers, other_key, run, tender_key  # noqa: F401

SIZES = [0, 1, 4095, 4096, 65537, 3 * 1024 * 1024 + 7]


def seal_file(path, certificate, out):
    with open(path, "rb") as source, open(out, "wb") as dest:
        return crypto.seal_stream(source, dest, certificate)


def fp(data: bytes) -> crypto.Fingerprint:
    return crypto.Fingerprint(
        len(data),
        hashlib.md5(data, usedforsecurity=False).hexdigest(),
        hashlib.sha256(data).hexdigest(),
    )


@pytest.mark.parametrize("size", SIZES)
def test_bid_sealed_by_us_opens_with_openssl_cms_decrypt(tmp_path, tender_key, size):
    """BID-3: our AuthEnvelopedData (RSA-OAEP SHA-256, AES-256-GCM, BER chunks)
    opens with `openssl cms -decrypt` byte for byte, and our fingerprints are
    those of the plaintext and of the file written."""
    openssl = require_tool("openssl")
    data = os.urandom(size)
    (tmp_path / "bid.pdf").write_bytes(data)
    result = seal_file(tmp_path / "bid.pdf", tender_key.certificate, tmp_path / "bid.p7m")
    assert result.plain == fp(data)
    assert result.sealed == fp((tmp_path / "bid.p7m").read_bytes())
    run(
        openssl,
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        tmp_path / "bid.p7m",
        "-inkey",
        tender_key.key_path,
        "-out",
        tmp_path / "out",
    )
    assert (tmp_path / "out").read_bytes() == data


def openssl_encrypt(openssl, source, out, cert_path, *extra):
    # -keyopt applies to the -recip before it; the cipher option may go anywhere.
    return run(
        openssl,
        "cms",
        "-encrypt",
        "-binary",
        "-outform",
        "DER",
        "-in",
        source,
        "-out",
        out,
        "-recip",
        cert_path,
        *extra,
        check=False,
    )


GCM_OAEP = ("-aes-256-gcm", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256")


@pytest.mark.parametrize("stream", [False, True], ids=["definite", "stream"])
@pytest.mark.parametrize("size", [0, 1, 4096, 3 * 1024 * 1024 + 7])
def test_bid_sealed_by_openssl_gcm_oaep_opens_with_ours(tmp_path, tender_key, size, stream):
    """BID-3: `openssl cms -encrypt -aes-256-gcm` with OAEP, with and without
    -stream (indefinite lengths, 4096-byte chunks / one primitive [0]), opens
    with our one-pass reader. OpenSSL 3.0's -stream fails on a 0-byte input
    (and may leave output behind), so its status is checked, never assumed."""
    openssl = require_tool("openssl")
    data = os.urandom(size)
    (tmp_path / "bid.pdf").write_bytes(data)
    args = (*GCM_OAEP, "-stream") if stream else GCM_OAEP
    result = openssl_encrypt(
        openssl, tmp_path / "bid.pdf", tmp_path / "bid.p7m", tender_key.cert_path, *args
    )
    if result.returncode != 0:
        assert stream and size == 0, result.stderr
        return
    with open(tmp_path / "bid.p7m", "rb") as source:
        plain = crypto.open_to_file(source, tmp_path / "out.pdf", tender_key.key)
    assert plain == fp(data)
    assert (tmp_path / "out.pdf").read_bytes() == data
    with open(tmp_path / "bid.p7m", "rb") as source:
        info = crypto.inspect(source)
    assert info.content_type == "authEnvelopedData"
    assert info.content_algorithm == "aes256_gcm"
    assert info.recipients[0].key_algorithm == "rsaes_oaep (sha256)"
    assert info.sealed == fp((tmp_path / "bid.p7m").read_bytes())
    assert crypto.is_for(info, tender_key.certificate)


@pytest.mark.parametrize("cipher", ["-aes256", "-aes128"])
def test_bid_sealed_by_openssl_cbc_enveloped_data_opens_with_ours(tmp_path, tender_key, cipher):
    """BID-3: EnvelopedData with AES-CBC and PKCS#1 v1.5 key transport (what
    `openssl cms -encrypt` writes with its defaults) is accepted too."""
    openssl = require_tool("openssl")
    data = os.urandom(100_003)
    (tmp_path / "bid.pdf").write_bytes(data)
    openssl_encrypt(
        openssl, tmp_path / "bid.pdf", tmp_path / "bid.p7m", tender_key.cert_path, cipher, "-stream"
    )
    with open(tmp_path / "bid.p7m", "rb") as source:
        assert crypto.open_to_file(source, tmp_path / "out", tender_key.key) == fp(data)
    with open(tmp_path / "bid.p7m", "rb") as source:
        info = crypto.inspect(source)
    assert info.content_type == "envelopedData"
    assert info.recipients[0].key_algorithm == "rsaes_pkcs1v15"


def test_openssl_decrypt_of_tampered_envelope_fails_with_status(tmp_path, tender_key):
    """BID-3 pitfall: `openssl cms -decrypt` writes unverified plaintext before
    it fails the tag check; only its exit status tells. Ours leaves no file."""
    openssl = require_tool("openssl")
    data = os.urandom(50_000)
    sealed = io.BytesIO()
    crypto.seal_stream(io.BytesIO(data), sealed, tender_key.certificate)
    damaged = bytearray(sealed.getvalue())
    damaged[len(damaged) // 2] ^= 0x01
    (tmp_path / "bid.p7m").write_bytes(damaged)
    result = run(
        openssl,
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        tmp_path / "bid.p7m",
        "-inkey",
        tender_key.key_path,
        "-out",
        tmp_path / "openssl.out",
        check=False,
    )
    assert result.returncode != 0
    out = tmp_path / "ours" / "bid.pdf"
    out.parent.mkdir()
    with open(tmp_path / "bid.p7m", "rb") as source, pytest.raises(crypto.TamperedError):
        crypto.open_to_file(source, out, tender_key.key)
    assert leftovers(out.parent) == []


def sealed_bytes(data: bytes, certificate) -> bytes:
    out = io.BytesIO()
    crypto.seal_stream(io.BytesIO(data), out, certificate)
    return out.getvalue()


def test_small_writes_are_gathered_and_open(tender_key, tmp_path):
    """BID-3: a Sealer fed byte by byte writes a valid envelope with correct fingerprints."""
    data = os.urandom(70_000)
    out = io.BytesIO()
    sealer = crypto.Sealer(tender_key.certificate, out)
    for i in range(0, len(data), 999):
        sealer.write(data[i : i + 999])
    result = sealer.finish()
    assert result.plain == fp(data)
    assert result.sealed == fp(out.getvalue())
    out.seek(0)
    assert crypto.open_to_file(out, tmp_path / "x", tender_key.key) == fp(data)
    with pytest.raises(crypto.SealError):
        sealer.write(b"more")


def test_fingerprint_stream_matches_hashlib():
    """BID-3: the MD5 named by the regulation and SHA-256, in one pass."""
    data = os.urandom(3 * 1024 * 1024 + 5)
    assert crypto.fingerprint_stream(io.BytesIO(data)) == fp(data)
    assert crypto.fingerprint_stream(io.BytesIO(b"")) == fp(b"")


def open_fails(tmp_path, blob: bytes, key, error, certificate=None):
    target = tmp_path / "opened"
    target.mkdir(exist_ok=True)
    with pytest.raises(error) as raised:
        crypto.open_to_file(io.BytesIO(blob), target / "bid.pdf", key, certificate=certificate)
    assert leftovers(target) == []
    assert raised.value.code == error.code
    assert raised.value.message and raised.value.message_en
    return raised.value


def test_truncated_envelope_is_reported_and_leaves_no_file(tmp_path, tender_key):
    """BID-3/ERR-1: an envelope cut short (interrupted upload) is "truncated"."""
    blob = sealed_bytes(os.urandom(200_000), tender_key.certificate)
    for cut in (10, 400, len(blob) // 2, len(blob) - 20, len(blob) - 1):
        error = open_fails(tmp_path, blob[:cut], tender_key.key, crypto.TruncatedError)
        assert error.message.startswith("Berkas amplop terpotong")
        with pytest.raises(crypto.TruncatedError):
            crypto.inspect(io.BytesIO(blob[:cut]))


def test_tampered_ciphertext_or_tag_is_reported(tmp_path, tender_key):
    """BID-3/ERR-1: a changed byte of the content or of the tag is "tampered"."""
    blob = sealed_bytes(os.urandom(200_000), tender_key.certificate)
    for position in (len(blob) // 2, len(blob) - 12):  # content; the GCM tag
        damaged = bytearray(blob)
        damaged[position] ^= 0x40
        open_fails(tmp_path, bytes(damaged), tender_key.key, crypto.TamperedError)


def test_wrong_recipient_is_reported(tmp_path, tender_key, other_key):
    """BID-3/ERR-1: an envelope sealed for another tender's key is "wrong_recipient"."""
    blob = sealed_bytes(b"penawaran", other_key.certificate)
    open_fails(tmp_path, blob, tender_key.key, crypto.WrongRecipientError)
    open_fails(tmp_path, blob, tender_key.key, crypto.WrongRecipientError, tender_key.certificate)
    info = crypto.inspect(io.BytesIO(blob))
    assert crypto.is_for(info, other_key.certificate)
    assert not crypto.is_for(info, tender_key.certificate)


def test_altered_key_transport_is_tampered_when_certificate_known(tmp_path, tender_key):
    """ERR-1: addressed to this certificate yet the key does not unwrap: "tampered"."""
    blob = bytearray(sealed_bytes(b"penawaran", tender_key.certificate))
    position = blob.index(b"\x04\x82\x01\x00") + 100  # inside the encrypted key (2048 bits)
    blob[position] ^= 0x01
    open_fails(tmp_path, bytes(blob), tender_key.key, crypto.TamperedError, tender_key.certificate)


@pytest.mark.parametrize(
    "blob",
    [b"", b"%PDF-1.7\n", b"PK\x03\x04" + bytes(100), bytes(range(256)) * 10],
    ids=["empty", "pdf", "zip", "bytes"],
)
def test_garbage_is_not_cms(tmp_path, tender_key, blob):
    """BID-3/ERR-1: a file that is no CMS at all is "not_cms"."""
    open_fails(tmp_path, blob, tender_key.key, crypto.NotCmsError)
    with pytest.raises(crypto.NotCmsError):
        crypto.inspect(io.BytesIO(blob))


def test_signed_data_is_unsupported(tmp_path, tender_key):
    """BID-3/ERR-1: CMS that is not an envelope (SignedData) is "unsupported"."""
    openssl = require_tool("openssl")
    (tmp_path / "doc").write_bytes(b"surat")
    run(
        openssl,
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-outform",
        "DER",
        "-in",
        tmp_path / "doc",
        "-signer",
        tender_key.cert_path,
        "-inkey",
        tender_key.key_path,
        "-out",
        tmp_path / "doc.p7s",
    )
    error = open_fails(
        tmp_path,
        (tmp_path / "doc.p7s").read_bytes(),
        tender_key.key,
        crypto.UnsupportedEnvelopeError,
    )
    assert "signedData" in error.message


def test_failed_opening_keeps_an_existing_destination(tmp_path, tender_key):
    """BID-3: a failed opening never replaces a file already at the destination."""
    target = tmp_path / "bid.pdf"
    target.write_bytes(b"previous")
    blob = sealed_bytes(os.urandom(1000), tender_key.certificate)
    with pytest.raises(crypto.TruncatedError):
        crypto.open_to_file(io.BytesIO(blob[:-3]), target, tender_key.key)
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == ["bid.pdf"]


def test_error_messages_in_indonesian_and_english():
    """BID-3: each error has a stable code, an Indonesian and an English message."""
    error = crypto.TamperedError("tag GCM tidak cocok", "GCM tag mismatch")
    assert error.code == "tampered"
    assert str(error) == error.message
    assert "rusak" in error.localized("id_ID.UTF-8")
    assert error.localized("en_US.UTF-8").endswith("(GCM tag mismatch)")


def test_sealing_works_in_a_forked_child_after_the_parent_used_the_pool(tender_key):
    """BID-3: a server that forks workers (gunicorn --preload) can still seal large
    chunks in the child: the hashing pool is recreated there, never hangs."""
    big = os.urandom(1 << 20)
    sealed_bytes(big, tender_key.certificate)  # the parent's pool now exists
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status
        signal.alarm(60)  # a hang (threads lost in the fork) ends as a failure
        try:
            blob = sealed_bytes(big, tender_key.certificate)
            os._exit(0 if crypto.inspect(io.BytesIO(blob)).encrypted_size == len(big) else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_nested_and_definite_constructed_content_opens(tmp_path, tender_key):
    """BID-3: the reader accepts content chunks nested in a constructed OCTET STRING
    (`24 80 ... 00 00`, as some BER writers do), with definite lengths too."""
    from lpse.bids.crypto.ber import encode_length

    data = os.urandom(200_000)
    blob = sealed_bytes(data, tender_key.certificate)
    header = len(sealed_bytes(b"", tender_key.certificate)) - 28
    chunks, tail = blob[header : len(blob) - 28], blob[len(blob) - 28 :]
    nested = blob[:header] + b"\x24\x80" + chunks + b"\x00\x00" + tail
    definite = blob[:header] + b"\x24" + encode_length(len(chunks)) + chunks + tail
    for variant in (nested, definite):
        target = tmp_path / "out"
        assert crypto.open_to_file(io.BytesIO(variant), target, tender_key.key) == fp(data)
        assert target.read_bytes() == data
        assert crypto.inspect(io.BytesIO(variant)).encrypted_size == len(data)
