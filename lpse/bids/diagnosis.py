"""Why a bid file does not open: the automatic diagnosis of ERR-1 (SOP 3.1 step 2).

`diagnose(path, certificate=..., expected=..., private_key=..., signature=...)` looks at
one file and says, with a code from `failure_choices.Diagnosis`, an Indonesian
explanation and the next step:

1. missing or empty file;
2. its fingerprints (size, MD5, SHA-256 of the sealed file) against the vendor's receipt;
3. its structure without a key (`crypto.inspect`): not CMS, truncated, unsupported;
4. for whom it was sealed (`crypto.is_for`: recipient issuer/serial vs the tender's
   certificate);
5. the vendor's detached CMS signature over the file, when one came with it;
6. with the tender's private key (when the opening session or staff provide it), the
   decryption itself (`crypto.open_to_file`): GCM tag / padding failure means tampered.

Structural faults come before a fingerprint mismatch (a truncated copy also mismatches;
"truncated" says more); with the key the decryption is tried even on a mismatch, and an
opened file keeps the mismatch in its explanation. Nothing is written except the
plaintext, and only once the file authenticates.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import crypto
from .failure_choices import Diagnosis
from .loop import off_loop

logger = logging.getLogger(__name__)


FINGERPRINT_NAMES = {"size": _lazy("ukuran"), "md5": "MD5", "sha256": "SHA-256"}


@dataclass(frozen=True)
class Expected:
    """The fingerprints of the sealed file on the vendor's receipt; any may be unknown."""

    size: int | None = None
    md5: str = ""
    sha256: str = ""

    @property
    def known(self) -> bool:
        return self.size is not None or bool(self.md5) or bool(self.sha256)


@dataclass
class Result:
    code: str
    message: str
    advice: str
    fingerprint: crypto.Fingerprint | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: Set when the decryption succeeded into `plain_path`.
    plain: crypto.Fingerprint | None = None

    @property
    def label(self) -> str:
        return str(Diagnosis(self.code).label)


def advice_for(code: str) -> str:
    """What to do next for each diagnosis (shown to staff and in the witness report)."""
    texts = {
        Diagnosis.OPENABLE: _(
            "Berkas terbuka dengan kunci tender; serahkan hasilnya kepada Pokja Pemilihan."
        ),
        Diagnosis.INTACT: _(
            "Amplop utuh dan ditujukan ke kunci tender ini: coba buka dengan kunci tender "
            "(bagian kunci anggota Pokja atau berkas kunci luring)."
        ),
        Diagnosis.FINGERPRINT_MISMATCH: _(
            "Berkas ini bukan berkas yang diterima sistem: minta salinan asli dari server LPSE "
            "atau dari penyedia yang sidik jarinya sama dengan tanda terima."
        ),
        Diagnosis.TRUNCATED: _(
            "Berkas tidak lengkap (unggahan/salinan terputus): bandingkan ukurannya dengan "
            "tanda terima dan minta salinan yang lengkap; bila tidak ada, teruskan ke LKPP."
        ),
        Diagnosis.NOT_CMS: _(
            "Berkas bukan hasil penyegelan (mungkin berkas lain atau belum disegel): periksa "
            "apakah berkas yang benar yang dikirim; bila tidak ada, teruskan ke LKPP."
        ),
        Diagnosis.UNSUPPORTED: _(
            "Amplop dibuat dengan alat/algoritma lain: coba buka dengan alat penyegel yang "
            "dipakai penyedia atau teruskan ke LKPP."
        ),
        Diagnosis.WRONG_RECIPIENT: _(
            "Berkas disegel untuk kunci publik/tender lain: tidak dapat dibuka dengan kunci "
            "tender ini. Catat penerimanya dalam berita acara dan teruskan ke LKPP."
        ),
        Diagnosis.TAMPERED: _(
            "Pemeriksaan integritas gagal (tag GCM/padding): isi berkas rusak atau diubah. "
            "Catat dalam berita acara dan teruskan berkas ke LKPP untuk uji forensik."
        ),
        Diagnosis.SIGNATURE_INVALID: _(
            "Tanda tangan elektronik penyedia tidak cocok dengan berkas: berkas berubah setelah "
            "ditandatangani. Teruskan ke LKPP."
        ),
        Diagnosis.MISSING_FILE: _(
            "Berkas tidak ada di penyimpanan: periksa cadangan server atau minta salinan dari "
            "penyedia; bila tidak ada, teruskan ke LKPP."
        ),
        Diagnosis.EMPTY: _(
            "Berkas kosong (0 bita): minta salinan yang benar; bila tidak ada, teruskan ke LKPP."
        ),
    }
    return str(texts[Diagnosis(code)])


def _result(code: str, message: str, **kwargs) -> Result:
    return Result(code=code, message=message, advice=advice_for(code), **kwargs)


def _fingerprint_dict(fingerprint: crypto.Fingerprint) -> dict[str, Any]:
    return {"size": fingerprint.size, "md5": fingerprint.md5, "sha256": fingerprint.sha256}


def mismatches(fingerprint: crypto.Fingerprint, expected: Expected) -> list[str]:
    """The names of the receipt's fingerprints this file does not match."""
    wrong = []
    if expected.size is not None and expected.size != fingerprint.size:
        wrong.append("size")
    if expected.md5 and expected.md5.lower() != fingerprint.md5:
        wrong.append("md5")
    if expected.sha256 and expected.sha256.lower() != fingerprint.sha256:
        wrong.append("sha256")
    return wrong


def _seal_error_code(error: crypto.SealError) -> str:
    code = getattr(error, "code", "")
    return code if code in Diagnosis.values else Diagnosis.UNSUPPORTED


def check_signature(path: Path, signature: bytes) -> tuple[bool, str]:
    """Is `signature` (a detached CMS SignedData, DER or PEM) a valid signature over the
    file? Integrity only (the vendor's certificate chain is not judged here)."""
    from asn1crypto import cms, pem
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    try:
        data = signature
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        content = cms.ContentInfo.load(data)
        if content["content_type"].native != "signed_data":
            return False, _("Berkas tanda tangan bukan CMS SignedData.")
        signed = content["content"]
        signed.native  # noqa: B018 - forces a full parse, so garbage fails here
    except (ValueError, TypeError, KeyError, OSError) as exc:
        return False, _("Berkas tanda tangan tidak dapat dibaca: %(error)s") % {"error": exc}
    try:
        with path.open("rb") as handle:
            # Integrity only: no trust roots, and never a network fetch (OCSP/CRL/AIA).
            context = ValidationContext(trust_roots=[], allow_fetching=False)
            status = off_loop(
                lambda: asyncio.run(
                    async_validate_detached_cms(handle, signed, signer_validation_context=context)
                )
            )
    except Exception as exc:  # pyhanko raises many types for malformed signatures
        logger.info("signature check failed: %s", exc)
        return False, _("Tanda tangan tidak dapat diperiksa: %(error)s") % {"error": exc}
    if status.intact and status.valid:
        return True, ""
    return False, _("Tanda tangan tidak cocok dengan isi berkas.")


def diagnose(
    path: Path | None,
    *,
    certificate,
    expected: Expected | None = None,
    private_key=None,
    signature: bytes = b"",
    plain_path: Path | None = None,
) -> Result:
    """Diagnose one file; with `private_key` and `plain_path` the plaintext is written there
    when the file opens (and only then)."""
    expected = expected or Expected()
    if path is None or not path.is_file():
        return _result(
            Diagnosis.MISSING_FILE,
            _("Berkas penawaran tidak ditemukan di penyimpanan."),
        )
    with path.open("rb") as handle:
        fingerprint = crypto.fingerprint_stream(handle)
    details: dict[str, Any] = {"file": _fingerprint_dict(fingerprint)}
    if expected.known:
        details["expected"] = {
            "size": expected.size,
            "md5": expected.md5.lower(),
            "sha256": expected.sha256.lower(),
        }
    wrong = mismatches(fingerprint, expected)
    if wrong:
        details["mismatch"] = wrong
    if fingerprint.size == 0:
        return _result(
            Diagnosis.EMPTY, _("Berkas berukuran 0 bita."), fingerprint=fingerprint, details=details
        )
    try:
        with path.open("rb") as handle:
            info = crypto.inspect(handle)
    except crypto.SealError as error:
        code = _seal_error_code(error)
        details["error"] = {"code": getattr(error, "code", ""), "message": error.message}
        return _result(code, error.message, fingerprint=fingerprint, details=details)
    details["envelope"] = {
        "content_type": info.content_type,
        "content_algorithm": info.content_algorithm,
        "recipients": [
            {
                "issuer": recipient.issuer,
                "serial_number": str(recipient.serial_number),
                "key_algorithm": recipient.key_algorithm,
            }
            for recipient in info.recipients
        ],
    }
    if certificate is not None and not crypto.is_for(info, certificate):
        names = "; ".join(
            f"{recipient.issuer} / {recipient.serial_number}" for recipient in info.recipients
        )
        return _result(
            Diagnosis.WRONG_RECIPIENT,
            _(
                "Amplop disegel untuk penerima lain (%(recipients)s), bukan untuk sertifikat "
                "tender ini (%(issuer)s / %(serial)s)."
            )
            % {
                "recipients": names or "-",
                "issuer": certificate.issuer.rfc4514_string(),
                "serial": certificate.serial_number,
            },
            fingerprint=fingerprint,
            details=details,
        )
    if wrong and private_key is None:
        return _result(
            Diagnosis.FINGERPRINT_MISMATCH,
            _(
                "Sidik jari berkas (%(names)s) berbeda dengan tanda terima: berkas ini bukan "
                "yang diterima sistem saat pengunggahan."
            )
            % {"names": ", ".join(str(FINGERPRINT_NAMES[name]) for name in wrong)},
            fingerprint=fingerprint,
            details=details,
        )
    if signature:
        valid, why = check_signature(path, signature)
        details["signature"] = {"valid": valid, "message": why}
        if not valid:
            return _result(
                Diagnosis.SIGNATURE_INVALID, why, fingerprint=fingerprint, details=details
            )
    if certificate is None:
        return _result(
            Diagnosis.INTACT,
            _("Struktur amplop utuh; tender belum memiliki sertifikat untuk dibandingkan."),
            fingerprint=fingerprint,
            details=details,
        )
    if private_key is None or plain_path is None:
        return _result(
            Diagnosis.INTACT,
            _("Struktur amplop utuh dan ditujukan ke sertifikat tender ini."),
            fingerprint=fingerprint,
            details=details,
        )
    try:
        with path.open("rb") as handle:
            plain = crypto.open_to_file(handle, plain_path, private_key)
    except crypto.SealError as error:
        code = _seal_error_code(error)
        details["error"] = {"code": getattr(error, "code", ""), "message": error.message}
        return _result(code, error.message, fingerprint=fingerprint, details=details)
    details["plain"] = _fingerprint_dict(plain)
    message = _("Berkas berhasil dibuka dengan kunci tender.")
    if wrong:
        message += " " + _(
            "Perhatian: sidik jarinya (%(names)s) berbeda dengan tanda terima; Pokja menilai "
            "apakah isi ini yang diterima saat pengunggahan."
        ) % {"names": ", ".join(str(FINGERPRINT_NAMES[name]) for name in wrong)}
    return _result(
        Diagnosis.OPENABLE,
        message,
        fingerprint=fingerprint,
        details=details,
        plain=plain,
    )
