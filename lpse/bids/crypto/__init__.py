"""Sealed bids as CMS envelopes, streaming (BID-3): pure Python, no Django.

Used by the server (sealing browser uploads, checking pre-sealed envelopes,
opening bids) and by the vendor's command line ``lpse-seal``. See
``writer`` (format written), ``reader`` (formats read) and ``errors``.
"""

from .errors import (
    NotCmsError,
    SealError,
    TamperedError,
    TruncatedError,
    UnsupportedEnvelopeError,
    WrongRecipientError,
)
from .fingerprint import Fingerprint, SealResult, fingerprint_stream
from .reader import EnvelopeInfo, RecipientInfo, inspect, is_for, open_envelope, open_to_file
from .writer import Sealer, seal_stream

__all__ = [
    "EnvelopeInfo",
    "Fingerprint",
    "NotCmsError",
    "RecipientInfo",
    "SealError",
    "SealResult",
    "Sealer",
    "TamperedError",
    "TruncatedError",
    "UnsupportedEnvelopeError",
    "WrongRecipientError",
    "fingerprint_stream",
    "inspect",
    "is_for",
    "open_envelope",
    "open_to_file",
    "seal_stream",
]
