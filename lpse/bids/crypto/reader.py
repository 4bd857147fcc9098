"""One-pass reader of CMS envelopes: open, inspect, check the recipient (BID-3, ERR-1).

Opens what ``Sealer`` writes and what ``openssl cms -encrypt`` writes, with
or without ``-stream``: BER indefinite or DER definite lengths, a primitive
``[0]`` content or chunks (OpenSSL's are 4096 bytes), nested constructed
OCTET STRINGs (``24 80``).

Supported:
- AuthEnvelopedData (RFC 5083) with AES-128/192/256-GCM (RFC 5084), any ICV
  length from 12 to 16, without authenticated attributes (with them the AAD
  is stored after the ciphertext, which a one-pass reader cannot use: such
  envelopes are refused as "unsupported"; neither we nor openssl write them).
- EnvelopedData (RFC 5652) with AES-128/192/256-CBC: what ``openssl cms
  -encrypt`` writes when a vendor picks a CBC cipher (``-aes256``, OpenSSL's
  default). CBC has no integrity tag: damage shows only as a padding error;
  the receipt's SHA-256 of the sealed file is what proves integrity.
- Key transport: KeyTransRecipientInfo with RSAES-OAEP (any SHA-2/SHA-1
  hash) or RSA PKCS#1 v1.5 (OpenSSL's default without ``-keyopt``).

The plaintext goes to a temporary file beside the destination, which is
renamed into place only after the tag (or padding) verified and the whole
structure was read; on any error the temporary file is deleted.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .ber import (
    CONTEXT,
    SEQUENCE,
    UNIVERSAL,
    BerStream,
    Frame,
    Header,
)
from .errors import (
    NotCmsError,
    SealError,
    TamperedError,
    UnsupportedEnvelopeError,
    WrongRecipientError,
)
from .fingerprint import Fingerprint, Hashes, SealResult
from .writer import OID_AUTH_ENVELOPED_DATA, OID_DATA, OID_ENVELOPED_DATA

# OID -> (name, key length, mode)
CONTENT_ALGORITHMS = {
    "2.16.840.1.101.3.4.1.6": ("aes128_gcm", 16, "gcm"),
    "2.16.840.1.101.3.4.1.26": ("aes192_gcm", 24, "gcm"),
    "2.16.840.1.101.3.4.1.46": ("aes256_gcm", 32, "gcm"),
    "2.16.840.1.101.3.4.1.2": ("aes128_cbc", 16, "cbc"),
    "2.16.840.1.101.3.4.1.22": ("aes192_cbc", 24, "cbc"),
    "2.16.840.1.101.3.4.1.42": ("aes256_cbc", 32, "cbc"),
}
CONTENT_TYPES = {
    OID_AUTH_ENVELOPED_DATA: "authEnvelopedData",
    OID_ENVELOPED_DATA: "envelopedData",
    OID_DATA: "data",
    "1.2.840.113549.1.7.2": "signedData",
    "1.2.840.113549.1.9.16.1.9": "compressedData",
    "1.2.840.113549.1.7.6": "encryptedData",
}
HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@dataclass(frozen=True)
class RecipientInfo:
    """One recipient of an envelope, as ``inspect`` reports it."""

    issuer: str  # human-readable issuer name ("" for a key-identifier recipient)
    serial_number: int  # 0 for a key-identifier recipient
    key_algorithm: str  # "rsaes_oaep (sha256)", "rsa (pkcs1v15)", or the type of recipient
    subject_key_identifier: str = ""  # hex, for recipients named by key identifier
    issuer_der: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class EnvelopeInfo:
    """What an envelope is, for whom, and its fingerprint (no key needed)."""

    content_type: str  # "authEnvelopedData" or "envelopedData"
    recipients: list[RecipientInfo]
    content_algorithm: str  # e.g. "aes256_gcm"
    sealed: Fingerprint
    encrypted_size: int = 0  # bytes of ciphertext (= plaintext size for GCM)
    inner_content_type: str = "data"


@dataclass
class _Head:
    content_type: str
    recipients: cms.RecipientInfos
    inner_type: str
    algorithm: str
    key_length: int
    mode: str
    iv: bytes
    tag_length: int
    content: Header
    frames: list[Frame]


# -- parsing -----------------------------------------------------------------------------------


def _read_head(st: BerStream) -> _Head:
    """Everything up to the first byte of the encrypted content."""
    first = st.peek(1)
    if not first:
        raise NotCmsError("berkas kosong", "empty file")
    if first != b"\x30":
        raise NotCmsError("tidak diawali SEQUENCE", "does not start with a SEQUENCE")
    content_info = st.open()
    oid = st.oid()
    if oid not in (OID_AUTH_ENVELOPED_DATA, OID_ENVELOPED_DATA):
        name = CONTENT_TYPES.get(oid, oid)
        raise UnsupportedEnvelopeError(f"jenis isi CMS {name}", f"CMS content type {name}")
    explicit = st.open(CONTEXT, 0)
    envelope = st.open()
    st.integer()  # version: 0 (AuthEnvelopedData), 0/2/3/4 (EnvelopedData)
    if st.peek(1) == b"\xa0":  # originatorInfo [0]
        st.skip_element()
    raw = st.element(st.expect(UNIVERSAL, 17, constructed=True))
    try:
        recipients = cms.RecipientInfos.load(raw)
        recipients.native  # noqa: B018 - parse everything now, not lazily later
    except (ValueError, TypeError) as exc:
        raise NotCmsError("RecipientInfos tidak sah", "invalid RecipientInfos") from exc
    eci = st.open()
    inner = st.oid()
    algorithm, key_length, mode, iv, tag_length = _content_algorithm(st.element())
    if (mode == "gcm") != (oid == OID_AUTH_ENVELOPED_DATA):
        raise UnsupportedEnvelopeError(
            f"{algorithm} di dalam {CONTENT_TYPES[oid]}", f"{algorithm} inside {CONTENT_TYPES[oid]}"
        )
    if not eci.has_more():
        raise UnsupportedEnvelopeError("isi terpisah (detached)", "detached content")
    content = st.header()
    if not content.is_(CONTEXT, 0):
        raise NotCmsError("encryptedContent tidak ada", "encryptedContent missing")
    return _Head(
        content_type=CONTENT_TYPES[oid],
        recipients=recipients,
        inner_type=CONTENT_TYPES.get(inner, inner),
        algorithm=algorithm,
        key_length=key_length,
        mode=mode,
        iv=iv,
        tag_length=tag_length,
        content=content,
        frames=[content_info, explicit, envelope, eci],
    )


def _content_algorithm(raw: bytes) -> tuple[str, int, str, bytes, int]:
    st = BerStream(io.BytesIO(raw), hashing=False)
    frame = st.open(UNIVERSAL, SEQUENCE)
    oid = st.oid()
    if oid not in CONTENT_ALGORITHMS:
        raise UnsupportedEnvelopeError(f"algoritma isi {oid}", f"content algorithm {oid}")
    name, key_length, mode = CONTENT_ALGORITHMS[oid]
    if mode == "cbc":
        iv = st.octet_string(64)
        if len(iv) != 16:
            raise NotCmsError("IV CBC tidak sah", "invalid CBC IV")
        tag_length = 0
    else:
        params = st.open(UNIVERSAL, SEQUENCE)
        iv = st.octet_string(64)
        tag_length = st.integer() if params.has_more() else 12
        params.close()
        if not 8 <= len(iv) <= 64 or not 12 <= tag_length <= 16:
            raise UnsupportedEnvelopeError("parameter GCM tidak sah", "invalid GCM parameters")
    frame.close()
    return name, key_length, mode, iv, tag_length


def _read_tail(st: BerStream, head: _Head) -> bytes:
    """After the content: the mac (AuthEnvelopedData) and the closing octets."""
    content_info, explicit, envelope, eci = head.frames
    if eci.has_more():
        raise NotCmsError("elemen lebih setelah encryptedContent", "extra element after content")
    eci.close()
    mac = b""
    if head.mode == "gcm":
        if st.peek(1) == b"\xa1":
            raise UnsupportedEnvelopeError(
                "atribut terautentikasi (authAttrs) tidak dapat dibaca satu lintasan",
                "authenticated attributes cannot be read in one pass",
            )
        mac = st.octet_string(64)
    while envelope.has_more():  # unprotectedAttrs [1] / unauthAttrs [2]
        st.skip_element()
    envelope.close()
    explicit.close()
    content_info.close()
    st.drain()  # anything after the envelope still belongs to the file's fingerprint
    return mac


def _recipient_info(info: cms.RecipientInfo) -> RecipientInfo:
    if info.name != "ktri":
        return RecipientInfo(issuer="", serial_number=0, key_algorithm=info.name)
    ktri = info.chosen
    algorithm = ktri["key_encryption_algorithm"]
    name = algorithm["algorithm"].native
    if name == "rsaes_oaep":
        params = algorithm["parameters"]
        digest = params["hash_algorithm"]["algorithm"].native if params.native else "sha1"
        label = f"rsaes_oaep ({digest})"
    elif name in ("rsa", "rsaes_pkcs1v15"):
        label = "rsaes_pkcs1v15"
    else:
        label = name
    rid = ktri["rid"]
    if rid.name == "issuer_and_serial_number":
        issuer = rid.chosen["issuer"]
        return RecipientInfo(
            issuer=issuer.human_friendly,
            serial_number=rid.chosen["serial_number"].native,
            key_algorithm=label,
            issuer_der=issuer.dump(),
        )
    return RecipientInfo(
        issuer="",
        serial_number=0,
        key_algorithm=label,
        subject_key_identifier=rid.chosen.native.hex(),
    )


# -- keys --------------------------------------------------------------------------------------


def _key_padding(algorithm: cms.KeyEncryptionAlgorithm) -> padding.AsymmetricPadding:
    name = algorithm["algorithm"].native
    if name in ("rsa", "rsaes_pkcs1v15"):
        return padding.PKCS1v15()
    if name != "rsaes_oaep":
        raise UnsupportedEnvelopeError(f"algoritma kunci {name}", f"key algorithm {name}")
    params = algorithm["parameters"]
    digest, mgf_digest, label = "sha1", "sha1", None
    if params.native:
        digest = params["hash_algorithm"]["algorithm"].native
        mgf = params["mask_gen_algorithm"]
        if mgf["algorithm"].native != "mgf1":
            raise UnsupportedEnvelopeError("MGF OAEP", "OAEP mask generation function")
        mgf_digest = mgf["parameters"]["algorithm"].native
        source = params["p_source_algorithm"]
        label = source["parameters"].native or None
    if digest not in HASHES or mgf_digest not in HASHES:
        raise UnsupportedEnvelopeError(f"hash OAEP {digest}", f"OAEP hash {digest}")
    return padding.OAEP(
        mgf=padding.MGF1(HASHES[mgf_digest]()), algorithm=HASHES[digest](), label=label
    )


def _subject_key_ids(certificate: x509.Certificate | None, public_key) -> set[bytes]:
    ids = {x509.SubjectKeyIdentifier.from_public_key(public_key).digest}
    if certificate is not None:
        with contextlib.suppress(x509.ExtensionNotFound):
            ids.add(
                certificate.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier
                ).value.digest
            )
    return ids


def _rid_matches(rid: cms.RecipientIdentifier, certificate: x509.Certificate) -> bool:
    if rid.name == "issuer_and_serial_number":
        cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        return (
            rid.chosen["serial_number"].native == cert.serial_number
            and rid.chosen["issuer"] == cert.issuer
        )
    return rid.chosen.native in _subject_key_ids(certificate, certificate.public_key())


def _unwrap_key(head: _Head, private_key, certificate: x509.Certificate | None) -> bytes:
    """The content-encryption key, from the recipient that ``private_key`` opens."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise UnsupportedEnvelopeError("kunci privat bukan RSA", "private key is not RSA")
    ktris = [info.chosen for info in head.recipients if info.name == "ktri"]
    if not ktris:
        raise UnsupportedEnvelopeError(
            "tidak ada penerima RSA (KeyTransRecipientInfo)", "no RSA (key transport) recipient"
        )
    if certificate is not None:
        if certificate.public_key().public_numbers() != private_key.public_key().public_numbers():
            raise WrongRecipientError(
                "kunci privat tidak cocok dengan sertifikat",
                "private key does not match certificate",
            )
        candidates = [ktri for ktri in ktris if _rid_matches(ktri["rid"], certificate)]
        if not candidates:
            raise WrongRecipientError()
    else:
        modulus_bytes = (private_key.key_size + 7) // 8
        candidates = [ktri for ktri in ktris if len(ktri["encrypted_key"].native) == modulus_bytes]
    for ktri in candidates:
        key_padding = _key_padding(ktri["key_encryption_algorithm"])
        try:
            key = private_key.decrypt(ktri["encrypted_key"].native, key_padding)
        except ValueError:
            continue
        if len(key) == head.key_length:
            return key
    if certificate is not None:
        # Addressed to this certificate, yet the key does not unwrap: altered.
        raise TamperedError("kunci isi tidak dapat dibuka", "content key does not unwrap")
    raise WrongRecipientError()


# -- public functions --------------------------------------------------------------------------


def open_envelope(
    source: BinaryIO,
    dest_path: Path | str,
    private_key,
    *,
    certificate: x509.Certificate | None = None,
) -> SealResult:
    """Decrypt ``source`` into ``dest_path``; fingerprints of plaintext and envelope.

    With ``certificate`` (the tender's), an envelope addressed to someone else
    is told apart from one whose key transport was altered. The output appears
    at ``dest_path`` only when the whole envelope read and verified.
    """
    dest_path = Path(dest_path)
    st = BerStream(source)
    head = _read_head(st)
    key = _unwrap_key(head, private_key, certificate)
    fd, temp_name = tempfile.mkstemp(
        dir=dest_path.parent, prefix=f".{dest_path.name}.", suffix=".part"
    )
    try:
        plain = Hashes()
        with os.fdopen(fd, "wb") as out:
            if head.mode == "gcm":
                decryptor = Cipher(
                    algorithms.AES(key), modes.GCM(head.iv, min_tag_length=head.tag_length)
                ).decryptor()
                unpadder = None
            else:
                decryptor = Cipher(algorithms.AES(key), modes.CBC(head.iv)).decryptor()
                unpadder = sym_padding.PKCS7(128).unpadder()
            for piece in st.octet_chunks(head.content):
                data = decryptor.update(piece)
                if unpadder is not None:
                    data = unpadder.update(data)
                if data:
                    waiting = plain.update_soon(data)  # hashed on the pool while we write
                    out.write(data)
                    if waiting is not None:
                        waiting.result()
            mac = _read_tail(st, head)
            try:
                if head.mode == "gcm":
                    if len(mac) != head.tag_length:
                        raise TamperedError("panjang tag salah", "wrong tag length")
                    data = decryptor.finalize_with_tag(mac)
                else:
                    data = unpadder.update(decryptor.finalize()) + unpadder.finalize()
            except InvalidTag as exc:
                raise TamperedError("tag GCM tidak cocok", "GCM tag mismatch") from exc
            except ValueError as exc:
                raise TamperedError("padding CBC salah", "bad CBC padding") from exc
            if data:
                plain.update(data)
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, dest_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    return SealResult(
        plain=plain.result(),
        sealed=Fingerprint(st.size, st.md5.hexdigest(), st.sha256.hexdigest()),
    )


def open_to_file(
    source: BinaryIO,
    dest_path: Path | str,
    private_key,
    *,
    certificate: x509.Certificate | None = None,
) -> Fingerprint:
    """Decrypt ``source`` into ``dest_path`` (renamed into place only when verified).

    Returns the plaintext fingerprint; raises a ``SealError`` subclass and
    leaves no file on any failure.
    """
    return open_envelope(source, dest_path, private_key, certificate=certificate).plain


def inspect(source: BinaryIO) -> EnvelopeInfo:
    """What the envelope is, for whom it was sealed, sizes and fingerprint (no key).

    Reads the whole input (to fingerprint it and to find truncation); raises
    the same ``SealError`` subclasses as opening, except those needing a key.
    """
    st = BerStream(source)
    head = _read_head(st)
    size = 0
    for piece in st.octet_chunks(head.content):
        size += len(piece)
    _read_tail(st, head)
    try:
        recipients = [_recipient_info(info) for info in head.recipients]
    except (ValueError, TypeError, KeyError) as exc:
        raise NotCmsError("RecipientInfos tidak sah", "invalid RecipientInfos") from exc
    return EnvelopeInfo(
        content_type=head.content_type,
        recipients=recipients,
        content_algorithm=head.algorithm,
        sealed=Fingerprint(st.size, st.md5.hexdigest(), st.sha256.hexdigest()),
        encrypted_size=size,
        inner_content_type=head.inner_type,
    )


def is_for(info: EnvelopeInfo, certificate: x509.Certificate) -> bool:
    """Whether one of the envelope's recipients is this certificate."""
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    key_ids = {key_id.hex() for key_id in _subject_key_ids(certificate, certificate.public_key())}
    for recipient in info.recipients:
        if recipient.subject_key_identifier:
            if recipient.subject_key_identifier in key_ids:
                return True
        elif (
            recipient.issuer_der
            and recipient.serial_number == cert.serial_number
            and asn1_x509.Name.load(recipient.issuer_der) == cert.issuer
        ):
            return True
    return False


__all__ = [
    "EnvelopeInfo",
    "RecipientInfo",
    "SealError",
    "inspect",
    "is_for",
    "open_envelope",
    "open_to_file",
]
