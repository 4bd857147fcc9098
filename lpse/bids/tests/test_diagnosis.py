"""The automatic diagnosis of bid files that won't open (ERR-1): every code produced from a
real crafted file - sealed with lpse.bids.crypto and then truncated, tag-flipped, sealed for
another certificate, replaced by random bytes, mismatching its receipt, signed and altered."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from ..diagnosis import Expected, advice_for, diagnose
from ..failure_choices import Diagnosis
from ..signing import sign_attached, sign_detached
from .failure_helpers import BID_TEXT, make_key_and_certificate, seal_bytes

PLAIN = BID_TEXT * 20  # ~200 KB: several encryption chunks


@pytest.fixture(scope="module")
def keys():
    return make_key_and_certificate("Tender 10000001")


@pytest.fixture(scope="module")
def sealed(keys):
    return seal_bytes(PLAIN, keys[1])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def receipt_of(data: bytes) -> Expected:
    return Expected(
        size=len(data),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_err_1_intact_envelope_without_key(tmp_path, keys, sealed):
    """ERR-1: a good envelope matching its receipt: intact, addressed to this tender."""
    path = write(tmp_path, "baik.p7m", sealed)
    result = diagnose(path, certificate=keys[1], expected=receipt_of(sealed))
    assert result.code == Diagnosis.INTACT
    assert result.fingerprint.sha256 == hashlib.sha256(sealed).hexdigest()
    assert result.details["envelope"]["recipients"]
    assert "mismatch" not in result.details


def test_err_1_openable_with_key_writes_plaintext_only_then(tmp_path, keys, sealed):
    """ERR-1: with the tender key the file opens; the plaintext lands where asked."""
    path = write(tmp_path, "baik.p7m", sealed)
    plain = tmp_path / "out" / "isi.bin"
    plain.parent.mkdir()
    result = diagnose(
        path,
        certificate=keys[1],
        expected=receipt_of(sealed),
        private_key=keys[0],
        plain_path=plain,
    )
    assert result.code == Diagnosis.OPENABLE
    assert plain.read_bytes() == PLAIN
    assert result.plain.sha256 == hashlib.sha256(PLAIN).hexdigest()


def test_err_1_missing_and_empty_files(tmp_path, keys):
    """ERR-1: no file at all, and a 0-byte file."""
    assert diagnose(tmp_path / "tidak-ada.p7m", certificate=keys[1]).code == (
        Diagnosis.MISSING_FILE
    )
    assert diagnose(None, certificate=keys[1]).code == Diagnosis.MISSING_FILE
    empty = diagnose(write(tmp_path, "kosong.p7m", b""), certificate=keys[1])
    assert empty.code == Diagnosis.EMPTY
    assert empty.fingerprint.size == 0


def test_err_1_random_bytes_are_not_cms(tmp_path, keys):
    """ERR-1: random bytes (e.g. a file that was never sealed) are "not CMS"."""
    result = diagnose(write(tmp_path, "acak.p7m", os.urandom(5000)), certificate=keys[1])
    assert result.code == Diagnosis.NOT_CMS
    assert result.details["error"]["code"] == "not_cms"
    assert result.message


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.99])
def test_err_1_truncated_envelope(tmp_path, keys, sealed, fraction):
    """ERR-1: an envelope cut at several points (an interrupted upload or copy) is
    "truncated", with and without the key, and never yields plaintext."""
    cut = sealed[: int(len(sealed) * fraction)]
    path = write(tmp_path, "terpotong.p7m", cut)
    assert diagnose(path, certificate=keys[1]).code == Diagnosis.TRUNCATED
    plain = tmp_path / "isi.bin"
    with_key = diagnose(
        path,
        certificate=keys[1],
        expected=receipt_of(sealed),
        private_key=keys[0],
        plain_path=plain,
    )
    assert with_key.code == Diagnosis.TRUNCATED
    assert with_key.details["mismatch"] == ["size", "md5", "sha256"]
    assert not plain.exists()


def test_err_1_sealed_for_another_certificate(tmp_path, keys):
    """ERR-1: sealed for another tender's certificate: "wrong recipient", naming it."""
    _other_key, other_certificate = make_key_and_certificate("Tender 10000099")
    path = write(tmp_path, "lain.p7m", seal_bytes(PLAIN, other_certificate))
    result = diagnose(path, certificate=keys[1])
    assert result.code == Diagnosis.WRONG_RECIPIENT
    assert "Tender 10000099" in result.message
    assert str(other_certificate.serial_number) in result.message


def test_err_1_flipped_tag_byte_is_tampered(tmp_path, keys, sealed):
    """ERR-1: one byte of the GCM tag changed: the structure is intact without the key,
    the decryption with the key fails the tag check ("tampered"), no plaintext kept."""
    bad = bytearray(sealed)
    bad[-20] ^= 0x01
    path = write(tmp_path, "rusak.p7m", bytes(bad))
    assert diagnose(path, certificate=keys[1]).code == Diagnosis.INTACT
    plain = tmp_path / "isi.bin"
    result = diagnose(path, certificate=keys[1], private_key=keys[0], plain_path=plain)
    assert result.code == Diagnosis.TAMPERED
    assert result.details["error"]["code"] == "tampered"
    assert not plain.exists()
    assert not list(tmp_path.glob("*.tmp*"))


def test_err_1_fingerprint_mismatch_against_receipt(tmp_path, keys, sealed):
    """ERR-1: a valid envelope that is not the one on the receipt (e.g. re-sealed later)."""
    other = seal_bytes(PLAIN, keys[1])  # same content, new random key: other bytes
    path = write(tmp_path, "berbeda.p7m", other)
    result = diagnose(path, certificate=keys[1], expected=receipt_of(sealed))
    assert result.code == Diagnosis.FINGERPRINT_MISMATCH
    assert result.details["mismatch"] == ["md5", "sha256"]
    assert "MD5, SHA-256" in result.message
    only_md5 = diagnose(path, certificate=keys[1], expected=Expected(md5="0" * 32))
    assert only_md5.code == Diagnosis.FINGERPRINT_MISMATCH
    assert only_md5.details["mismatch"] == ["md5"]


def test_err_1_vendor_signature_checked(tmp_path, keys, sealed):
    """ERR-1: a vendor's detached CMS signature over the file: valid passes, a signature
    over other bytes (the file changed after signing) is "signature invalid"."""
    vendor_key, vendor_certificate = make_key_and_certificate("PT Maju Jaya")
    path = write(tmp_path, "bertanda.p7m", sealed)
    good = sign_detached(sealed, vendor_key, vendor_certificate)
    result = diagnose(path, certificate=keys[1], signature=good)
    assert result.code == Diagnosis.INTACT
    assert result.details["signature"]["valid"] is True
    wrong = sign_detached(sealed + b"versi lama", vendor_key, vendor_certificate)
    result = diagnose(path, certificate=keys[1], signature=wrong)
    assert result.code == Diagnosis.SIGNATURE_INVALID
    garbage = diagnose(path, certificate=keys[1], signature=b"bukan tanda tangan")
    assert garbage.code == Diagnosis.SIGNATURE_INVALID


def test_err_1_cms_of_another_type_is_unsupported(tmp_path, keys):
    """ERR-1: a CMS structure that is not an envelope (a signed manifest sent by mistake)."""
    vendor_key, vendor_certificate = make_key_and_certificate("PT Maju Jaya")
    data = sign_attached(b'{"berkas": []}', vendor_key, vendor_certificate)
    result = diagnose(write(tmp_path, "manifes.p7s", data), certificate=keys[1])
    assert result.code in (Diagnosis.UNSUPPORTED, Diagnosis.NOT_CMS)
    assert result.message


def test_err_1_every_diagnosis_has_indonesian_advice():
    """ERR-1: each code says what to do next."""
    for code in Diagnosis.values:
        assert len(advice_for(code)) > 30


def test_err_1_signature_check_inside_a_running_event_loop(tmp_path, keys, sealed):
    """ERR-1: pyHanko's asyncio.run-based check also works from a thread that already runs an
    event loop (an ASGI worker; Playwright's sync API in the test process)."""
    vendor_key, vendor_certificate = make_key_and_certificate("PT Maju Jaya")
    path = write(tmp_path, "bertanda.p7m", sealed)
    good = sign_detached(sealed, vendor_key, vendor_certificate)

    async def inside():
        return diagnose(path, certificate=keys[1], signature=good)

    assert in_own_loop(inside).code == Diagnosis.INTACT


def in_own_loop(coroutine_function):
    """Run `coroutine_function()` in an event loop of a fresh thread (this thread may already
    run Playwright's loop)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()
