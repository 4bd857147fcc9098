"""Streaming writer of CMS AuthEnvelopedData (RFC 5652, 5083, 5084) for sealed bids (BID-3).

Layout written (``80`` = indefinite length, closed by ``00 00``)::

    30 80  ContentInfo
      06    id-ct-authEnvelopedData (1.2.840.113549.1.9.16.1.23)
      A0 80 [0] EXPLICIT
        30 80 AuthEnvelopedData
          02 01 00                      version 0
          31 ..  RecipientInfos          (DER, asn1crypto): one KeyTransRecipientInfo v0,
                                         issuerAndSerialNumber, RSAES-OAEP SHA-256/MGF1-SHA-256
          30 80  EncryptedContentInfo
            06    id-data
            30 .. aes256-GCM { GCMParameters { OCTET STRING nonce(12), INTEGER 16 } }
            A0 80 [0] encryptedContent: 04 len ciphertext ... 00 00
          00 00
          04 10  mac (the GCM tag)
        00 00
      00 00
    00 00

The ICV length is written explicitly (16) because the GCMParameters default
is 12. No authenticated attributes are written, so the AAD is empty and a
reader can verify in one pass. Memory stays flat: only one chunk is held.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from typing import BinaryIO

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .ber import encode_length, encode_oid, tlv
from .errors import SealError, UnsupportedEnvelopeError
from .fingerprint import Hashes, SealResult

OID_DATA = "1.2.840.113549.1.7.1"
OID_ENVELOPED_DATA = "1.2.840.113549.1.7.3"
OID_AUTH_ENVELOPED_DATA = "1.2.840.113549.1.9.16.1.23"
OID_AES256_GCM = "2.16.840.1.101.3.4.1.46"

MIN_CHUNK = 64 << 10  # smaller writes are gathered into chunks of at least this size
TAG_LENGTH = 16
NONCE_LENGTH = 12
EOC = b"\x00\x00"


def oaep_padding() -> padding.OAEP:
    """RSAES-OAEP with SHA-256 and MGF1-SHA-256, empty label (what we write)."""
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def recipient_infos(certificate: x509.Certificate, content_key: bytes) -> bytes:
    """DER RecipientInfos holding ``content_key`` encrypted to ``certificate``'s RSA key."""
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise UnsupportedEnvelopeError(
            "sertifikat penerima bukan RSA", "recipient certificate is not RSA"
        )
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    ktri = cms.KeyTransRecipientInfo(
        {
            "version": "v0",
            "rid": cms.RecipientIdentifier(
                name="issuer_and_serial_number",
                value=cms.IssuerAndSerialNumber(
                    {"issuer": cert.issuer, "serial_number": cert.serial_number}
                ),
            ),
            "key_encryption_algorithm": cms.KeyEncryptionAlgorithm(
                {
                    "algorithm": "rsaes_oaep",
                    "parameters": algos.RSAESOAEPParams(
                        {
                            "hash_algorithm": {"algorithm": "sha256"},
                            "mask_gen_algorithm": {
                                "algorithm": "mgf1",
                                "parameters": {"algorithm": "sha256"},
                            },
                        }
                    ),
                }
            ),
            "encrypted_key": public_key.encrypt(content_key, oaep_padding()),
        }
    )
    return cms.RecipientInfos([cms.RecipientInfo(name="ktri", value=ktri)]).dump()


class Sealer:
    """Streaming writer: feed plaintext chunks, the envelope bytes go to ``dest``.

    ``finish()`` writes the tag and closing octets and returns the fingerprints
    of the plaintext and of every byte written to ``dest``. ``dest`` is not
    flushed, fsynced or closed: that is the caller's (the file is theirs).
    """

    def __init__(self, certificate: x509.Certificate, dest: BinaryIO) -> None:
        self._dest = dest
        self._plain = Hashes()
        self._sealed = Hashes()
        self._pending = bytearray()
        self._done = False
        key = os.urandom(32)
        nonce = os.urandom(NONCE_LENGTH)
        self._encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        algorithm = tlv(
            0x30,
            encode_oid(OID_AES256_GCM)
            + tlv(0x30, tlv(0x04, nonce) + b"\x02\x01" + bytes([TAG_LENGTH])),
        )
        self._emit(
            b"\x30\x80"
            + encode_oid(OID_AUTH_ENVELOPED_DATA)
            + b"\xa0\x80"
            + b"\x30\x80"
            + b"\x02\x01\x00"
            + recipient_infos(certificate, key)
            + b"\x30\x80"
            + encode_oid(OID_DATA)
            + algorithm
            + b"\xa0\x80"
        )

    def _emit(self, data: bytes) -> None:
        self._sealed.update(data)
        self._dest.write(data)

    def _encrypt(self, chunk: bytes | bytearray | memoryview) -> None:
        waiting: Future | None = self._plain.update_soon(chunk)
        try:
            ciphertext = self._encryptor.update(chunk)
            if ciphertext:
                self._emit(b"\x04" + encode_length(len(ciphertext)))
                self._emit(ciphertext)
        finally:
            if waiting is not None:
                waiting.result()

    def write(self, chunk: bytes | bytearray | memoryview) -> None:
        """Encrypt ``chunk`` (any size; small writes are gathered)."""
        if self._done:
            raise SealError("penyegel sudah ditutup", "sealer already finished")
        if not chunk:
            return
        if self._pending or len(chunk) < MIN_CHUNK:
            self._pending += chunk
            if len(self._pending) < MIN_CHUNK:
                return
            chunk, self._pending = bytes(self._pending), bytearray()
        self._encrypt(chunk)

    def finish(self) -> SealResult:
        """Write the GCM tag and the closing octets; return the fingerprints."""
        if self._done:
            raise SealError("penyegel sudah ditutup", "sealer already finished")
        if self._pending:
            self._encrypt(bytes(self._pending))
            self._pending = bytearray()
        self._encryptor.finalize()
        self._done = True
        # end of [0] content, end of EncryptedContentInfo, mac, end of
        # AuthEnvelopedData, of the [0] EXPLICIT and of ContentInfo.
        self._emit(EOC + EOC + tlv(0x04, self._encryptor.tag) + EOC + EOC + EOC)
        return SealResult(plain=self._plain.result(), sealed=self._sealed.result())


def seal_stream(
    source: BinaryIO, dest: BinaryIO, certificate: x509.Certificate, *, chunk_size: int = 1 << 20
) -> SealResult:
    """Seal everything left in ``source`` into ``dest`` for ``certificate``."""
    sealer = Sealer(certificate, dest)
    while True:
        chunk = source.read(chunk_size)
        if not chunk:
            break
        sealer.write(chunk)
    return sealer.finish()
