"""How public tender pages write money, times and tax numbers (BID-5).

The SPSE-compatible pages use exactly SPSE's forms, which its clients parse:
money as ``Rp 950.000.000,00`` and times in WIB as ``13 Januari 2025 08:00``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def rupiah(value: Decimal | int | None) -> str:
    """``Rp 950.000.000,00``: dots between thousands, a comma before the sen."""
    if value is None:
        return ""
    exact = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, sen = f"{abs(exact):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if exact < 0 else ''}Rp {grouped},{sen}"


def wib(moment: datetime | None) -> str:
    """``13 Januari 2025 08:00`` in Asia/Jakarta, whatever the page's language."""
    if moment is None:
        return ""
    local = moment.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def masked_tax_id(tax_id: str) -> str:
    """An NPWP with all but its first two and last three digits hidden, as SPSE shows it."""
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    if len(digits) < 6:
        return "*" * len(digits)
    return digits[:2] + "*" * (len(digits) - 5) + digits[-3:]
