"""Per-year number series for official documents (letters, receipts) (TRN-3).

`next_number("training.reply", 2026)` returns 1, 2, 3, ... The counter row is
created on first use (a concurrent first use is resolved by the unique
constraint inside `get_or_create`) and then locked with `select_for_update`
until the caller's transaction ends: a second caller waits, then reads the
incremented value. A rolled-back transaction gives its number back, so the
series has no gaps from failures either.
"""

from __future__ import annotations

from django.db import transaction

from .models import NumberSeries


def next_number(key: str, year: int) -> int:
    """The next number of series `key` in `year`; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    series, _created = NumberSeries.objects.select_for_update().get_or_create(key=key, year=year)
    series.last += 1
    series.save(update_fields=["last"])
    return series.last
