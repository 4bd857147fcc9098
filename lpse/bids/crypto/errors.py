"""Errors of the sealed-bid envelope (BID-3, ERR-1).

Each error has a short stable ``code`` (stored as the failure code of an
opening and printed by ``lpse-seal``), an Indonesian ``message`` (the
default language of the service) and an English ``message_en``. This module
is pure Python: no Django, so the vendor's command line can use it.
"""

from __future__ import annotations


class SealError(Exception):
    """Base of every envelope error; ``str(error)`` is the Indonesian message."""

    code = "seal_error"
    default_message = "Amplop penawaran tidak dapat diproses."
    default_message_en = "The bid envelope cannot be processed."

    def __init__(self, detail: str = "", detail_en: str = "") -> None:
        self.detail = detail
        self.detail_en = detail_en or detail
        self.message = self.default_message
        self.message_en = self.default_message_en
        if detail:
            self.message = f"{self.message} ({detail})"
            self.message_en = f"{self.message_en} ({self.detail_en})"
        super().__init__(self.message)

    def localized(self, lang: str = "id") -> str:
        """The message in Indonesian, or in English when ``lang`` starts with "en"."""
        return self.message_en if lang.lower().startswith("en") else self.message


class NotCmsError(SealError):
    """The input is not a CMS (RFC 5652) structure at all."""

    code = "not_cms"
    default_message = "Berkas bukan amplop CMS (bukan hasil penyegelan penawaran)."
    default_message_en = "The file is not a CMS envelope (not a sealed bid)."


class UnsupportedEnvelopeError(SealError):
    """A CMS structure, but not a type or algorithm this reader opens."""

    code = "unsupported"
    default_message = "Jenis amplop CMS atau algoritmanya tidak didukung."
    default_message_en = "The CMS envelope type or its algorithm is not supported."


class WrongRecipientError(SealError):
    """Not sealed for this key or certificate."""

    code = "wrong_recipient"
    default_message = "Amplop tidak disegel untuk kunci/sertifikat paket ini."
    default_message_en = "The envelope was not sealed for this key/certificate."


class TruncatedError(SealError):
    """The file ends before the envelope does (an interrupted upload or copy)."""

    code = "truncated"
    default_message = "Berkas amplop terpotong (tidak lengkap)."
    default_message_en = "The envelope file is truncated (incomplete)."


class TamperedError(SealError):
    """The content does not authenticate: GCM tag, CBC padding or key unwrap failed."""

    code = "tampered"
    default_message = "Isi amplop rusak atau telah diubah (verifikasi integritas gagal)."
    default_message_en = "The envelope content is damaged or altered (integrity check failed)."


ERRORS: dict[str, type[SealError]] = {
    cls.code: cls
    for cls in (
        SealError,
        NotCmsError,
        UnsupportedEnvelopeError,
        WrongRecipientError,
        TruncatedError,
        TamperedError,
    )
}
