"""Property tests of the envelope: sizes, chunk boundaries and damaged input (BID-3, ERR-1)."""

# ruff: noqa: F811  (fixtures imported from seal_fixtures)

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpse.bids import crypto
from lpse.bids.crypto.ber import encode_length

from .seal_fixtures import tender_key  # noqa: F401

TRAILER = 28  # EOC, EOC, 04 10 tag, EOC x3
SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], derandomize=True
)


def payload(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


class Trickle(io.RawIOBase):
    """A source that hands out at most ``step`` bytes per read (a slow network)."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.pos = data, step, 0

    def read(self, n: int = -1) -> bytes:
        n = self.step if n < 0 else min(n, self.step)
        chunk = self.data[self.pos : self.pos + n]
        self.pos += len(chunk)
        return chunk


def seal(data: bytes, certificate, writes: list[int] | None = None) -> bytes:
    out = io.BytesIO()
    sealer = crypto.Sealer(certificate, out)
    position = 0
    for size in writes or []:
        sealer.write(data[position : position + size])
        position += size
    sealer.write(data[position:])
    result = sealer.finish()
    assert result.sealed.sha256 == hashlib.sha256(out.getvalue()).hexdigest()
    return out.getvalue()


def open_bytes(blob: bytes, key, *, step: int | None = None) -> bytes:
    """Open ``blob`` (read ``step`` bytes at a time) and return the plaintext."""
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "bid.pdf"
        source = Trickle(blob, step) if step else io.BytesIO(blob)
        crypto.open_to_file(source, target, key)
        return target.read_bytes()


@SETTINGS
@given(
    size=st.one_of(st.integers(0, 70_000), st.integers(0, 6 * 1024 * 1024)),
    seed=st.integers(0, 2**32),
    writes=st.lists(st.integers(1, 300_000), max_size=6),
    step=st.sampled_from([None, 1 << 20, 4093, 65_536, 9]),
)
def test_any_size_and_write_pattern_round_trips(tender_key, size, seed, writes, step):
    """BID-3: 0 B to several MB, any split of writes, any read size of the source:
    the plaintext comes back exactly, with its fingerprint."""
    if step == 9 and size > 20_000:
        step = 4093  # byte-trickling megabytes only slows the test down
    data = payload(size, seed)
    blob = seal(data, tender_key.certificate, writes)
    opened = open_bytes(blob, tender_key.key, step=step)
    assert opened == data
    info = crypto.inspect(Trickle(blob, step) if step else io.BytesIO(blob))
    assert info.encrypted_size == size
    assert info.sealed.size == len(blob)


@SETTINGS
@given(size=st.integers(0, 200_000), seed=st.integers(0, 2**32), data=st.data())
def test_any_truncation_is_reported_as_truncated(tender_key, size, seed, data):
    """BID-3/ERR-1: an envelope cut at any byte is "truncated" and leaves no file."""
    blob = seal(payload(size, seed), tender_key.certificate)
    cut = data.draw(st.integers(1, len(blob) - 1))
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "bid.pdf"
        try:
            crypto.open_to_file(io.BytesIO(blob[:cut]), target, tender_key.key)
        except crypto.TruncatedError:
            pass
        else:
            raise AssertionError(f"cut at {cut} of {len(blob)} opened")
        assert list(Path(directory).iterdir()) == []


@SETTINGS
@given(size=st.integers(1, 60_000), seed=st.integers(0, 2**32), data=st.data())
def test_changed_ciphertext_or_tag_is_tampered(tender_key, size, seed, data):
    """BID-3/ERR-1: a changed bit in the ciphertext or the GCM tag is "tampered"."""
    blob = bytearray(seal(payload(size, seed), tender_key.certificate))
    header = len(seal(b"", tender_key.certificate)) - TRAILER
    start = header + 1 + len(encode_length(size))  # one chunk: 04 len ciphertext
    tag = len(blob) - 6 - 16
    position = data.draw(
        st.one_of(st.integers(start, start + size - 1), st.integers(tag, tag + 15))
    )
    blob[position] ^= 1 << data.draw(st.integers(0, 7))
    with tempfile.TemporaryDirectory() as directory:
        try:
            crypto.open_to_file(io.BytesIO(bytes(blob)), Path(directory) / "x", tender_key.key)
        except crypto.TamperedError:
            pass
        else:
            raise AssertionError(f"changed byte {position} went unnoticed")
        assert list(Path(directory).iterdir()) == []


@SETTINGS
@given(size=st.integers(0, 30_000), seed=st.integers(0, 2**32), data=st.data())
def test_any_changed_byte_never_yields_wrong_plaintext(tender_key, size, seed, data):
    """ERR-1: a byte changed anywhere gives a SealError (no file) or, in fields that
    only name the recipient, the exact original: never different plaintext as good."""
    original = payload(size, seed)
    blob = bytearray(seal(original, tender_key.certificate))
    position = data.draw(st.integers(0, len(blob) - 1))
    blob[position] ^= data.draw(st.integers(1, 255))
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "x"
        try:
            crypto.open_to_file(io.BytesIO(bytes(blob)), target, tender_key.key)
        except crypto.SealError:
            assert list(Path(directory).iterdir()) == []
        else:
            assert target.read_bytes() == original


@SETTINGS
@given(blob=st.binary(min_size=1, max_size=5000))
def test_garbage_is_not_cms_and_arbitrary_bytes_never_crash(tender_key, blob):
    """BID-3/ERR-1: bytes not starting like CMS are "not_cms"; any bytes at all give
    a SealError, never another exception and never a file."""
    expected = crypto.NotCmsError if blob[0] != 0x30 else crypto.SealError
    for candidate in (blob, b"\x30\x80" + blob):
        with tempfile.TemporaryDirectory() as directory:
            try:
                crypto.open_to_file(io.BytesIO(candidate), Path(directory) / "x", tender_key.key)
            except crypto.SealError as error:
                if candidate is blob:
                    assert isinstance(error, expected)
            else:
                raise AssertionError("garbage opened")
            assert list(Path(directory).iterdir()) == []
        with contextlib.suppress(crypto.SealError):
            crypto.inspect(io.BytesIO(candidate))
