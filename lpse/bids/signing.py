"""CMS SignedData: vendors' bid manifests and the LPSE's receipts (BID-3, BID-2).

Signing uses ``cryptography``'s PKCS7SignatureBuilder (SHA-256, RSA PKCS#1
v1.5, signed attributes), which ``openssl cms -verify`` accepts. Since
``cryptography`` cannot verify CMS, ``verify_signature`` checks the
signatures this module writes (and openssl's, for RSA and SHA-2): the
message digest attribute against the data, then the signer's signature over
the signed attributes with the certificate carried in the SignedData.
Whether that certificate is trusted is the caller's decision (compare it,
or its issuer, with the certificate you expect). Pure Python, no Django.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from .crypto.errors import SealError

_HASHES = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class SignatureError(SealError):
    """A signature that does not verify, or is not a CMS SignedData we can check."""

    code = "signature_invalid"
    default_message = "Tanda tangan elektronik tidak sah."
    default_message_en = "The electronic signature is not valid."


@dataclass(frozen=True)
class SignatureInfo:
    """Who signed (the certificate in the SignedData) and what (attached content, if any)."""

    certificate: x509.Certificate
    subject: str
    content: bytes | None


def _builder(data: bytes, key, certificate, chain=()) -> pkcs7.PKCS7SignatureBuilder:
    builder = (
        pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(certificate, key, hashes.SHA256())
    )
    for extra in chain:
        builder = builder.add_certificate(extra)
    return builder


def sign_detached(data: bytes, key, certificate: x509.Certificate, chain=()) -> bytes:
    """Detached CMS SignedData (DER) over ``data`` (e.g. a receipt's canonical text)."""
    return _builder(data, key, certificate, chain).sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def sign_attached(data: bytes, key, certificate: x509.Certificate) -> bytes:
    """CMS SignedData (DER) carrying ``data`` (the vendor's bid manifest)."""
    return _builder(data, key, certificate).sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]
    )


def verify_signature(signature: bytes, data: bytes | None = None) -> SignatureInfo:
    """Check a SignedData (DER or PEM): detached over ``data``, or attached.

    Raises ``SignatureError`` when it does not verify; returns the signer.
    """
    if signature.lstrip().startswith(b"-----BEGIN"):
        signature = _pem_body(signature)
    try:
        info = cms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            raise SignatureError("bukan SignedData", "not SignedData")
        signed = info["content"]
        content = signed["encap_content_info"]["content"].native
        signers = signed["signer_infos"]
        certificates = [
            x509.load_der_x509_certificate(choice.chosen.dump())
            for choice in signed["certificates"]
            if choice.name == "certificate"
        ]
    except SignatureError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise SignatureError("bukan CMS SignedData", "not a CMS SignedData") from exc
    if content is not None and data is not None and content != data:
        raise SignatureError("isi berbeda", "content differs")
    message = data if data is not None else content
    if message is None:
        raise SignatureError("data yang ditandatangani tidak ada", "signed data missing")
    if len(signers) != 1:
        raise SignatureError("harus tepat satu penanda tangan", "exactly one signer expected")
    signer = signers[0]
    certificate = _signer_certificate(signer, certificates)
    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise SignatureError(f"hash {digest_name}", f"hash {digest_name}")
    digest = hashlib.new(digest_name, message).digest()
    attributes = signer["signed_attrs"]
    if attributes.native is None:
        raise SignatureError("tanpa atribut bertanda tangan", "no signed attributes")
    found = [attr for attr in attributes if attr["type"].native == "message_digest"]
    if len(found) != 1 or found[0]["values"][0].native != digest:
        raise SignatureError("sidik data tidak cocok", "message digest mismatch")
    encoded = attributes.dump()
    to_verify = b"\x31" + encoded[1:]  # signed as a SET OF, stored as [0] IMPLICIT
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureError("kunci bukan RSA", "key is not RSA")
    algorithm = signer["signature_algorithm"]["algorithm"].native
    if algorithm in ("rsassa_pss",):
        raise SignatureError("RSASSA-PSS tidak didukung", "RSASSA-PSS not supported")
    try:
        public_key.verify(
            signer["signature"].native, to_verify, padding.PKCS1v15(), _HASHES[digest_name]()
        )
    except InvalidSignature:
        raise SignatureError("tanda tangan tidak cocok", "signature mismatch") from None
    subject = certificate.subject.rfc4514_string()
    return SignatureInfo(certificate=certificate, subject=subject, content=content)


def _signer_certificate(signer: cms.SignerInfo, certificates: list[x509.Certificate]):
    sid = signer["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            if sid.chosen["serial_number"].native == certificate.serial_number and (
                sid.chosen["issuer"].dump() == certificate.issuer.public_bytes()
            ):
                return certificate
        else:
            ski = x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
            if sid.chosen.native == ski:
                return certificate
    raise SignatureError("sertifikat penanda tangan tidak ada", "signer certificate missing")


def _pem_body(pem: bytes) -> bytes:
    lines = [line for line in pem.decode("ascii", "replace").splitlines() if "-----" not in line]
    try:
        return base64.b64decode("".join(lines), validate=True)
    except ValueError as exc:
        raise SignatureError("PEM rusak", "broken PEM") from exc
