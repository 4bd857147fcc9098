"""Tender keys: RSA key pairs, certificates and k-of-n split private keys (BID-4).

Pure Python (no Django): also used offline by ``lpse-seal keygen``.

Splitting: the private key (PKCS#8 DER) is encrypted with AES-256-GCM under a
random 256-bit wrapping key. The wrapping key is split k-of-n with Shamir's
scheme from pycryptodome (``Crypto.Protocol.SecretSharing.Shamir``), which
shares 16-byte secrets: the two 128-bit halves are split separately with the
same share indices, so share *i* holds both halves' points. A share may be
protected by its holder's passphrase (scrypt, then AES-256-GCM). Every blob
is self-describing JSON (format, version, key id, split id, index,
threshold); the command line writes shares as PEM-like text files.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import NameOID

from .crypto.errors import SealError

SHARE_FORMAT = "lpse-key-share"
ENCRYPTED_KEY_FORMAT = "lpse-encrypted-key"
VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~32 MB and ~0.1 s per share
PEM_BEGIN = "-----BEGIN LPSE KEY SHARE-----"
PEM_END = "-----END LPSE KEY SHARE-----"
KEY_BEGIN = "-----BEGIN LPSE ENCRYPTED KEY-----"
KEY_END = "-----END LPSE ENCRYPTED KEY-----"


class ShareError(SealError):
    """A key share cannot be used: ``code`` says why."""

    MESSAGES = {
        "bad_share": (
            "Bagian kunci tidak sah atau bukan milik kunci paket ini.",
            "The key share is invalid or belongs to another key.",
        ),
        "wrong_passphrase": (
            "Frasa sandi bagian kunci salah.",
            "Wrong passphrase for the key share.",
        ),
        "not_enough_shares": (
            "Bagian kunci belum cukup untuk membuka kunci paket.",
            "Not enough key shares to recover the tender key.",
        ),
    }

    def __init__(self, code: str, detail: str = "", detail_en: str = "") -> None:
        self.code = code
        self.default_message, self.default_message_en = self.MESSAGES[code]
        super().__init__(detail, detail_en)


# -- key pairs and certificates ----------------------------------------------------------------


def generate_key_pair(bits: int = 3072) -> rsa.RSAPrivateKey:
    """A new RSA private key (public exponent 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def key_id(public_key) -> str:
    """Short stable identifier of a public key: SHA-256 of its SubjectPublicKeyInfo (hex, 32)."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:32]


def encryption_certificate_builder(
    subject: x509.Name, issuer: x509.Name, public_key, days: int
) -> x509.CertificateBuilder:
    """A certificate for a key that only receives sealed bids (key and data encipherment),
    valid from five minutes ago for ``days``; the caller adds issuer extensions and signs."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=True,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def self_signed_certificate(
    key: rsa.RSAPrivateKey, common_name: str, days: int
) -> x509.Certificate:
    """A self-signed encryption certificate for ``key`` (``lpse-seal keygen``, offline)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = encryption_certificate_builder(name, name, key.public_key(), days)
    return builder.sign(key, hashes.SHA256())


def private_key_pem(key: rsa.RSAPrivateKey, passphrase: str | None = None) -> bytes:
    """PKCS#8 PEM, encrypted when a passphrase is given."""
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


# -- split keys --------------------------------------------------------------------------------


@dataclass
class SplitKey:
    """The encrypted private key and the n share blobs of its wrapping key."""

    encrypted_key: bytes
    shares: list[bytes]
    threshold: int


@dataclass(frozen=True)
class ShareInfo:
    """What a share blob says about itself (no passphrase needed)."""

    key_id: str
    split_id: str
    index: int
    threshold: int
    shares: int
    protected: bool


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def _share_kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        passphrase.encode("utf-8")
    )


def _share_aad(fields: dict) -> bytes:
    return f"{SHARE_FORMAT}|{fields['key_id']}|{fields['split_id']}|{fields['index']}".encode()


def split_private_key(
    key: rsa.RSAPrivateKey,
    *,
    shares: int,
    threshold: int,
    passphrases: list[str | None] | None = None,
) -> SplitKey:
    """Encrypt ``key`` under a random wrapping key and split that key ``threshold``-of-``shares``.

    ``passphrases[i]`` (when given and not empty) protects share ``i``.
    """
    if not 1 <= threshold <= shares <= 255:
        raise ValueError("need 1 <= threshold <= shares <= 255")
    if threshold < 2 and shares > 1:
        raise ValueError("a threshold of 1 would give the whole key to every holder")
    if passphrases is not None and len(passphrases) != shares:
        raise ValueError("one passphrase (or None) per share")
    wrapping_key = os.urandom(32)
    split_id = os.urandom(8).hex()
    kid = key_id(key.public_key())
    header = {
        "format": ENCRYPTED_KEY_FORMAT,
        "version": VERSION,
        "key_id": kid,
        "split_id": split_id,
        "threshold": threshold,
        "shares": shares,
    }
    nonce = os.urandom(12)
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    aad = json.dumps(header, sort_keys=True).encode()
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, pkcs8, aad)
    encrypted_key = json.dumps(
        {**header, "nonce": _b64(nonce), "data": _b64(ciphertext)}, sort_keys=True
    ).encode()
    if threshold == 1:  # one holder: the share is the wrapping key itself
        points = [(1, wrapping_key)]
    else:
        low = Shamir.split(threshold, shares, wrapping_key[:16])
        high = Shamir.split(threshold, shares, wrapping_key[16:])
        points = [(i, a + b) for (i, a), (_, b) in zip(low, high, strict=True)]
    blobs = []
    for position, (index, value) in enumerate(points):
        fields = {
            "format": SHARE_FORMAT,
            "version": VERSION,
            "key_id": kid,
            "split_id": split_id,
            "index": index,
            "threshold": threshold,
            "shares": shares,
        }
        passphrase = passphrases[position] if passphrases else None
        if passphrase:
            salt, share_nonce = os.urandom(16), os.urandom(12)
            sealed = AESGCM(_share_kdf(passphrase, salt)).encrypt(
                share_nonce, value, _share_aad(fields)
            )
            fields["protection"] = {
                "kdf": "scrypt",
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": _b64(salt),
                "cipher": "aes-256-gcm",
                "nonce": _b64(share_nonce),
            }
            fields["data"] = _b64(sealed)
        else:
            fields["protection"] = None
            fields["data"] = _b64(value)
        blobs.append(json.dumps(fields, sort_keys=True).encode())
    return SplitKey(encrypted_key=encrypted_key, shares=blobs, threshold=threshold)


def _load_json(blob: bytes | str, expected: str) -> dict:
    if isinstance(blob, bytes):
        try:
            blob = blob.decode("utf-8")
        except UnicodeDecodeError:
            raise ShareError("bad_share", "bukan teks", "not text") from None
    if expected == ENCRYPTED_KEY_FORMAT and KEY_BEGIN in blob:
        blob = encrypted_key_from_text(blob)
    elif expected == SHARE_FORMAT and PEM_BEGIN in blob:
        blob = share_from_pem(blob)
    try:
        data = json.loads(blob)
    except ValueError:
        raise ShareError("bad_share", "bukan JSON", "not JSON") from None
    if not isinstance(data, dict) or data.get("format") != expected:
        raise ShareError("bad_share", f"bukan {expected}", f"not an {expected}")
    if data.get("version") != VERSION:
        raise ShareError(
            "bad_share", f"versi {data.get('version')}", f"version {data.get('version')}"
        )
    return data


def share_info(blob: bytes | str) -> ShareInfo:
    """Read a share's self-description (raises ShareError "bad_share")."""
    data = _load_json(blob, SHARE_FORMAT)
    try:
        return ShareInfo(
            key_id=str(data["key_id"]),
            split_id=str(data["split_id"]),
            index=int(data["index"]),
            threshold=int(data["threshold"]),
            shares=int(data["shares"]),
            protected=bool(data.get("protection")),
        )
    except (KeyError, TypeError, ValueError):
        raise ShareError("bad_share", "isian tidak lengkap", "fields missing") from None


def _share_value(data: dict, passphrase: str | None) -> bytes:
    protection = data.get("protection")
    try:
        payload = _unb64(data["data"])
        if not protection:
            return payload
        if protection.get("kdf") != "scrypt" or protection.get("cipher") != "aes-256-gcm":
            raise ShareError("bad_share", "perlindungan tidak dikenal", "unknown protection")
        salt, nonce = _unb64(protection["salt"]), _unb64(protection["nonce"])
        n, r, p = int(protection["n"]), int(protection["r"]), int(protection["p"])
    except (KeyError, TypeError, ValueError):
        raise ShareError("bad_share", "isian tidak sah", "invalid fields") from None
    if not passphrase:
        raise ShareError(
            "wrong_passphrase",
            f"bagian {data['index']} dilindungi frasa sandi",
            f"share {data['index']} is protected by a passphrase",
        )
    if n > 2**20 or r > 16 or p > 4:
        raise ShareError("bad_share", "parameter scrypt terlalu besar", "scrypt too costly")
    derived = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    try:
        return AESGCM(derived).decrypt(nonce, payload, _share_aad(data))
    except InvalidTag:
        raise ShareError(
            "wrong_passphrase", f"bagian {data['index']}", f"share {data['index']}"
        ) from None


def combine_private_key(
    encrypted_key: bytes, shares: list[tuple[bytes, str | None]]
) -> rsa.RSAPrivateKey:
    """Recover the private key from ``threshold`` shares, each with its passphrase (or None)."""
    header = _load_json(encrypted_key, ENCRYPTED_KEY_FORMAT)
    try:
        threshold = int(header["threshold"])
        nonce, ciphertext = _unb64(header["nonce"]), _unb64(header["data"])
    except (KeyError, TypeError, ValueError):
        raise ShareError(
            "bad_share", "kunci terenkripsi tidak sah", "invalid encrypted key"
        ) from None
    points: dict[int, bytes] = {}
    for blob, passphrase in shares:
        info = share_info(blob)
        if info.split_id != header["split_id"] or info.key_id != header["key_id"]:
            raise ShareError(
                "bad_share",
                f"bagian {info.index} milik kunci lain",
                f"share {info.index} belongs to another key",
            )
        if info.index in points:
            continue
        value = _share_value(_load_json(blob, SHARE_FORMAT), passphrase)
        if len(value) != 32:
            raise ShareError("bad_share", f"bagian {info.index}", f"share {info.index}")
        points[info.index] = value
        if len(points) == threshold:
            break
    if len(points) < threshold:
        raise ShareError(
            "not_enough_shares",
            f"perlu {threshold}, ada {len(points)}",
            f"{threshold} needed, {len(points)} given",
        )
    if threshold == 1:
        wrapping_key = next(iter(points.values()))
    else:
        low = Shamir.combine([(i, value[:16]) for i, value in points.items()])
        high = Shamir.combine([(i, value[16:]) for i, value in points.items()])
        wrapping_key = low + high
    fields = {
        k: header[k] for k in ("format", "version", "key_id", "split_id", "threshold", "shares")
    }
    aad = json.dumps(fields, sort_keys=True).encode()
    try:
        pkcs8 = AESGCM(wrapping_key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise ShareError(
            "bad_share", "kunci tidak terbuka dengan bagian ini", "the shares do not open the key"
        ) from None
    key = serialization.load_der_private_key(pkcs8, password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key_id(key.public_key()) != header["key_id"]:
        raise ShareError("bad_share", "kunci tidak cocok", "key mismatch")
    return key


# -- text form of a share (the CLI's share files) ----------------------------------------------


def _armor(blob: bytes, begin: str, end: str) -> str:
    return f"{begin}\n{base64.encodebytes(blob).decode().strip()}\n{end}\n"


def _unarmor(text: str, begin: str, end: str) -> bytes | None:
    match = re.search(re.escape(begin) + r"(.*?)" + re.escape(end), text, re.S)
    if not match:
        return None
    try:
        return base64.b64decode("".join(match.group(1).split()), validate=True)
    except ValueError:
        raise ShareError("bad_share", "base64 rusak", "broken base64") from None


def share_to_pem(blob: bytes, encrypted_key: bytes | None = None) -> str:
    """A share as a text file: a readable description, then the armored blob.

    With ``encrypted_key`` the file also carries the (harmless alone)
    encrypted private key, so that k share files suffice to open.
    """
    info = share_info(blob)
    state = "dilindungi frasa sandi" if info.protected else "TIDAK dilindungi frasa sandi"
    text = (
        f"Bagian kunci paket (LPSE) {info.index} dari {info.shares}; perlu {info.threshold} "
        f"bagian untuk membuka. Kunci {info.key_id}, {state}.\n"
        f"Simpan rahasia; jangan kirim lewat surel.\n" + _armor(blob, PEM_BEGIN, PEM_END)
    )
    if encrypted_key is not None:
        text += encrypted_key_to_pem(encrypted_key)
    return text


def share_from_pem(text: str) -> bytes:
    """The blob inside a share text file (raises ShareError "bad_share")."""
    blob = _unarmor(text, PEM_BEGIN, PEM_END)
    if blob is None:
        raise ShareError("bad_share", "penanda BEGIN/END tidak ada", "BEGIN/END markers missing")
    return blob


def encrypted_key_to_pem(blob: bytes) -> str:
    """The encrypted private key as armored text (for key files and share files)."""
    return _armor(blob, KEY_BEGIN, KEY_END)


def encrypted_key_from_text(text: str) -> bytes | None:
    """The encrypted private key inside a text (share file or key file), if any."""
    return _unarmor(text, KEY_BEGIN, KEY_END)
