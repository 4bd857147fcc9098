"""Optional encryption of a medium's objects (BAK-2), with `cryptography`.

Why this and not age/pyrage: `cryptography` is already in the tree for the
sealed bids, its AES-GCM Cipher API streams (pyrage encrypts whole byte strings
in memory), and age's passphrase mode runs scrypt for every file, which would
cost a second per stored file.

Scheme: every object gets a fresh random 256-bit content key; the compressed
stream is encrypted with AES-256-GCM under it (tag at the end). The content key
is wrapped either with a key derived once per run from the passphrase (scrypt,
salt and parameters kept in `medium.json`, AES-GCM wrap) or with an RSA public
key (OAEP, SHA-256): with a public key, the server that writes backups cannot
read them. Objects keep the plaintext SHA-256 as their name, so incremental
backups still work; the names reveal only whether a known file is present.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .errors import BackupError

MAGIC = b"LPSEBAK1"
TAG_SIZE = 16
SCRYPT_N = 2**15
_CHECK = b"lpse-backup-passphrase-check"
_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


class EncryptionError(BackupError):
    """Wrong passphrase or key, or a damaged object; message in Indonesian."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


@dataclass
class Keyring:
    """What a run needs to write and/or read encrypted objects."""

    mode: str  # "passphrase" or "public-key"
    kek: bytes | None = None  # passphrase mode
    public_key: rsa.RSAPublicKey | None = None
    private_key: rsa.RSAPrivateKey | None = None

    # --- writing ------------------------------------------------------------------
    def header(self) -> tuple[bytes, bytes, bytes]:
        """(header bytes, content key, nonce) for one new object."""
        content_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        if self.mode == "passphrase":
            wrap_nonce = os.urandom(12)
            wrapped = wrap_nonce + AESGCM(self.kek).encrypt(wrap_nonce, content_key, MAGIC)
        else:
            wrapped = self.public_key.encrypt(content_key, _OAEP)
        body = json.dumps(
            {"wrap": self.mode, "key": _b64(wrapped), "nonce": _b64(nonce)}, sort_keys=True
        ).encode()
        return MAGIC + struct.pack(">H", len(body)) + body, content_key, nonce

    def encryptor(self):
        header, content_key, nonce = self.header()
        return header, Cipher(algorithms.AES(content_key), modes.GCM(nonce)).encryptor()

    # --- reading ------------------------------------------------------------------
    def can_read(self) -> bool:
        return self.kek is not None or self.private_key is not None

    def decryptor(self, head: bytes, tag: bytes):
        meta = json.loads(head)
        wrapped = _unb64(meta["key"])
        try:
            if meta["wrap"] == "passphrase" and self.kek is not None:
                content_key = AESGCM(self.kek).decrypt(wrapped[:12], wrapped[12:], MAGIC)
            elif meta["wrap"] == "public-key" and self.private_key is not None:
                content_key = self.private_key.decrypt(wrapped, _OAEP)
            else:
                raise EncryptionError("Kunci untuk membuka cadangan terenkripsi tidak diberikan.")
        except (InvalidTag, ValueError) as exc:
            raise EncryptionError(
                "Kunci objek tidak dapat dibuka (kunci salah atau rusak)."
            ) from exc
        return Cipher(
            algorithms.AES(content_key), modes.GCM(_unb64(meta["nonce"]), tag)
        ).decryptor()


def read_header(handle) -> bytes:
    """The JSON header of an encrypted object; leaves `handle` at the ciphertext."""
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise EncryptionError("Objek bukan berkas cadangan terenkripsi LPSE.")
    (length,) = struct.unpack(">H", handle.read(2))
    return handle.read(length)


def _scrypt(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode())


def new_passphrase_medium(passphrase: str) -> tuple[dict, Keyring]:
    """Settings for medium.json and the keyring, for a medium's first encrypted backup."""
    if len(passphrase) < 12:
        raise EncryptionError("Frasa sandi cadangan minimal 12 karakter.")
    salt = os.urandom(16)
    kek = _scrypt(passphrase, salt, SCRYPT_N)
    nonce = os.urandom(12)
    check = nonce + AESGCM(kek).encrypt(nonce, _CHECK, None)
    settings = {"mode": "passphrase", "kdf": "scrypt", "n": SCRYPT_N, "r": 8, "p": 1}
    settings.update(salt=_b64(salt), check=_b64(check))
    return settings, Keyring("passphrase", kek=kek)


def passphrase_keyring(medium_settings: dict, passphrase: str) -> Keyring:
    kek = _scrypt(passphrase, _unb64(medium_settings["salt"]), int(medium_settings["n"]))
    check = _unb64(medium_settings["check"])
    try:
        AESGCM(kek).decrypt(check[:12], check[12:], None)
    except InvalidTag:
        raise EncryptionError("Frasa sandi cadangan salah untuk media ini.") from None
    return Keyring("passphrase", kek=kek)


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        try:
            from cryptography import x509

            key = x509.load_pem_x509_certificate(pem).public_key()
        except ValueError:
            raise EncryptionError(
                "Berkas kunci publik tidak terbaca (harus PEM: kunci publik RSA atau sertifikat)."
            ) from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise EncryptionError("Kunci publik harus RSA minimal 2048 bit.")
    return key


def public_key_fingerprint(key: rsa.RSAPublicKey) -> str:
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return digest.finalize().hex()


def new_public_key_medium(key: rsa.RSAPublicKey) -> tuple[dict, Keyring]:
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    settings = {"mode": "public-key", "public_key": pem, "fingerprint": public_key_fingerprint(key)}
    return settings, Keyring("public-key", public_key=key)


def public_key_keyring(medium_settings: dict, key: rsa.RSAPublicKey | None) -> Keyring:
    stored = load_public_key(medium_settings["public_key"].encode())
    if key is not None and public_key_fingerprint(key) != medium_settings["fingerprint"]:
        raise EncryptionError("Media ini dienkripsi untuk kunci publik lain.")
    return Keyring("public-key", public_key=stored)


def load_private_key(pem: bytes, password: bytes | None = None) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError) as exc:
        raise EncryptionError(f"Kunci privat tidak terbaca: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise EncryptionError("Kunci privat harus RSA.")
    return key
