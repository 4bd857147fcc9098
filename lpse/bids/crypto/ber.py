"""A one-pass BER reader over a byte stream (BID-3).

Reads tags and lengths (definite and indefinite), small elements whole, and
large OCTET STRING content in pieces, so a multi-gigabyte envelope goes
through in constant memory. Every byte taken from the source is also fed to
MD5 and SHA-256, which gives the fingerprint of the sealed file in the same
pass. The end of input inside an element raises ``TruncatedError``; a
malformed tag or length raises ``NotCmsError``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .errors import NotCmsError, TruncatedError

BLOCK = 1 << 20  # bytes read from the source at a time
MAX_SMALL = 4 << 20  # a header element (RecipientInfos, AlgorithmIdentifier) above this is refused

# Classes of a tag (the top two bits of the identifier octet).
UNIVERSAL, APPLICATION, CONTEXT, PRIVATE = 0, 1, 2, 3
# Universal tag numbers used here.
EOC, INTEGER, OCTET_STRING, OID, SEQUENCE, SET = 0, 2, 4, 6, 16, 17


@dataclass(frozen=True)
class Header:
    """Identifier and length octets of one element."""

    cls: int
    constructed: bool
    number: int
    length: int | None  # None: indefinite
    raw: bytes  # the identifier and length octets as read

    def is_(self, cls: int, number: int, constructed: bool | None = None) -> bool:
        if constructed is not None and constructed != self.constructed:
            return False
        return self.cls == cls and self.number == number


class Frame:
    """An open constructed element: knows where (or how) it ends."""

    def __init__(self, stream: BerStream, header: Header) -> None:
        self.stream = stream
        self.indefinite = header.length is None
        self.end = None if header.length is None else stream.offset + header.length

    def has_more(self) -> bool:
        """Whether another child element follows before this element ends."""
        if self.indefinite:
            return self.stream.peek(2) != b"\x00\x00"
        if self.stream.offset > self.end:
            raise NotCmsError("panjang elemen tidak cocok", "element length mismatch")
        return self.stream.offset < self.end

    def close(self) -> None:
        """Consume the end of the element (the EOC octets when indefinite)."""
        if self.indefinite:
            if self.stream.read(2) != b"\x00\x00":
                raise NotCmsError("penanda akhir elemen hilang", "end-of-contents octets missing")
        elif self.stream.offset != self.end:
            raise NotCmsError("panjang elemen tidak cocok", "element length mismatch")


class BerStream:
    """Buffered reader over ``source`` that hashes everything it consumes."""

    def __init__(self, source: BinaryIO, *, hashing: bool = True) -> None:
        self.source = source
        self.offset = 0  # absolute position of the next unread byte
        self._buf = b""
        self._pos = 0
        self.md5 = hashlib.md5(usedforsecurity=False) if hashing else None
        self.sha256 = hashlib.sha256() if hashing else None
        self.size = 0  # bytes taken from the source (and hashed) so far

    # -- raw bytes -----------------------------------------------------------------
    def _fetch(self) -> bool:
        """Replace the exhausted buffer by the next block; False at end of input."""
        data = self.source.read(BLOCK)
        if not data:
            return False
        if self.md5 is not None:
            self.md5.update(data)
            self.sha256.update(data)
        self.size += len(data)
        rest = self._buf[self._pos :]
        self._buf = rest + data if rest else data
        self._pos = 0
        return True

    def _available(self) -> int:
        return len(self._buf) - self._pos

    def peek(self, n: int) -> bytes:
        """Up to ``n`` next bytes without consuming them (fewer at end of input)."""
        while self._available() < n and self._fetch():
            pass
        return self._buf[self._pos : self._pos + n]

    def at_eof(self) -> bool:
        return not self.peek(1)

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes (small amounts); TruncatedError at end of input."""
        while self._available() < n:
            if not self._fetch():
                raise TruncatedError(
                    f"berakhir pada bita ke-{self.offset + self._available()}",
                    f"ends at byte {self.offset + self._available()}",
                )
        data = self._buf[self._pos : self._pos + n]
        self._pos += n
        self.offset += n
        return data

    def pieces(self, n: int) -> Iterator[memoryview]:
        """``n`` bytes as a sequence of buffer slices (large content, no copy)."""
        while n > 0:
            if self._available() == 0 and not self._fetch():
                raise TruncatedError(
                    f"berakhir pada bita ke-{self.offset}", f"ends at byte {self.offset}"
                )
            take = min(n, self._available())
            view = memoryview(self._buf)[self._pos : self._pos + take]
            self._pos += take
            self.offset += take
            n -= take
            yield view

    def skip(self, n: int) -> None:
        for _ in self.pieces(n):
            pass

    def drain(self) -> int:
        """Consume (and hash) the rest of the input; returns how many bytes there were."""
        extra = self._available()
        self._pos = len(self._buf)
        self.offset += extra
        while self._fetch():
            extra += self._available()
            self.offset += self._available()
            self._pos = len(self._buf)
        return extra

    # -- elements ----------------------------------------------------------------
    def header(self) -> Header:
        """Identifier and length octets of the next element."""
        start = self.read(1)
        first = start[0]
        raw = bytearray(start)
        number = first & 0x1F
        if number == 0x1F:  # high tag number form
            number = 0
            for _ in range(5):
                octet = self.read(1)[0]
                raw.append(octet)
                number = (number << 7) | (octet & 0x7F)
                if not octet & 0x80:
                    break
            else:
                raise NotCmsError("nomor tag terlalu panjang", "tag number too long")
        octet = self.read(1)[0]
        raw.append(octet)
        constructed = bool(first & 0x20)
        if octet < 0x80:
            length: int | None = octet
        elif octet == 0x80:
            if not constructed:
                raise NotCmsError(
                    "panjang tak tentu pada elemen primitif", "indefinite length on a primitive"
                )
            length = None
        else:
            count = octet & 0x7F
            if count > 8:
                raise NotCmsError("panjang elemen tidak sah", "invalid length")
            octets = self.read(count)
            raw += octets
            length = int.from_bytes(octets, "big")
        return Header(first >> 6, constructed, number, length, bytes(raw))

    def expect(self, cls: int, number: int, constructed: bool | None = None) -> Header:
        """The next element's header, which must have this tag (else NotCmsError)."""
        header = self.header()
        if not header.is_(cls, number, constructed):
            raise NotCmsError(
                f"elemen tak terduga pada bita ke-{self.offset - len(header.raw)}",
                f"unexpected element at byte {self.offset - len(header.raw)}",
            )
        return header

    def open(self, cls: int = UNIVERSAL, number: int = SEQUENCE) -> Frame:
        """Enter a constructed element with this tag."""
        return Frame(self, self.expect(cls, number, constructed=True))

    def element_body(self, header: Header) -> bytes:
        """The whole content of a small element whose header was just read."""
        return self._body(header, limit=MAX_SMALL)[len(header.raw) :]

    def element(self, header: Header | None = None) -> bytes:
        """The complete encoding (header included) of the next small element."""
        return self._body(header or self.header(), limit=MAX_SMALL)

    def _body(self, header: Header, limit: int) -> bytes:
        if header.length is not None:
            if header.length > limit:
                raise NotCmsError("elemen kepala terlalu besar", "header element too large")
            return header.raw + self.read(header.length)
        parts = [header.raw]
        total = len(header.raw)
        while True:
            child = self.header()
            if child.cls == UNIVERSAL and child.number == EOC and not child.constructed:
                if child.length != 0:
                    raise NotCmsError("penanda akhir elemen tidak sah", "invalid end-of-contents")
                parts.append(child.raw)
                return b"".join(parts)
            body = self._body(child, limit - total)
            total += len(body)
            if total > limit:
                raise NotCmsError("elemen kepala terlalu besar", "header element too large")
            parts.append(body)

    def skip_element(self, header: Header | None = None) -> None:
        """Consume the next element, whatever its size."""
        header = header or self.header()
        if header.length is not None:
            self.skip(header.length)
            return
        while True:
            child = self.header()
            if child.cls == UNIVERSAL and child.number == EOC and not child.constructed:
                return
            self.skip_element(child)

    def octet_chunks(self, header: Header) -> Iterator[memoryview]:
        """Content of an OCTET STRING (primitive or constructed, any nesting) in pieces.

        ``header`` is the string's own header, already read (its tag may be an
        implicit context tag, e.g. ``[0]`` of encryptedContent).
        """
        if not header.constructed:
            yield from self.pieces(header.length)
            return
        frame = Frame(self, header)
        while frame.has_more():
            child = self.header()
            if not child.is_(UNIVERSAL, OCTET_STRING):
                raise NotCmsError("potongan OCTET STRING tidak sah", "invalid OCTET STRING segment")
            yield from self.octet_chunks(child)
        frame.close()

    def octet_string(self, limit: int = MAX_SMALL) -> bytes:
        """A small OCTET STRING's value (primitive or constructed)."""
        header = self.expect(UNIVERSAL, OCTET_STRING)
        value = bytearray()
        for piece in self.octet_chunks(header):
            value += piece
            if len(value) > limit:
                raise NotCmsError("OCTET STRING terlalu besar", "OCTET STRING too large")
        return bytes(value)

    def oid(self) -> str:
        """An OBJECT IDENTIFIER in dotted form."""
        header = self.expect(UNIVERSAL, OID, constructed=False)
        return decode_oid(self.read(header.length))

    def integer(self) -> int:
        header = self.expect(UNIVERSAL, INTEGER, constructed=False)
        if not 0 < header.length <= 64:
            raise NotCmsError("INTEGER tidak sah", "invalid INTEGER")
        return int.from_bytes(self.read(header.length), "big", signed=True)


def decode_oid(body: bytes) -> str:
    if not body or body[-1] & 0x80:
        raise NotCmsError("OBJECT IDENTIFIER tidak sah", "invalid OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for octet in body:
        value = (value << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(arc) for arc in head + arcs[1:])


def encode_length(n: int) -> bytes:
    """DER length octets."""
    if n < 0x80:
        return bytes([n])
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def encode_oid(dotted: str) -> bytes:
    """DER encoding (tag included) of an OBJECT IDENTIFIER."""
    arcs = [int(part) for part in dotted.split(".")]
    values = [40 * arcs[0] + arcs[1], *arcs[2:]]
    body = bytearray()
    for value in values:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        body += bytes(reversed(chunk))
    return b"\x06" + encode_length(len(body)) + bytes(body)


def tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + encode_length(len(body)) + body
