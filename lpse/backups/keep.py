"""Parse the retention rule text (no Django import: settings.py checks it at start-up)."""

from __future__ import annotations

RULES = ("last", "daily", "weekly", "monthly", "yearly")


def parse_keep(text: str) -> dict[str, int]:
    """'daily=7,weekly=4,monthly=12' -> {'daily': 7, ...}; ValueError with a message."""
    keep = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, _sep, count = part.partition("=")
        name = name.strip().lower()
        if name not in RULES or not count.strip().isdigit():
            raise ValueError(
                f"Aturan retensi {part.strip()!r} tidak dikenal; "
                "contoh: daily=7,weekly=4,monthly=12 "
                f"(aturan: {', '.join(RULES)})."
            )
        keep[name] = int(count)
    if not any(keep.values()):
        raise ValueError("Aturan retensi harus menyimpan sedikitnya satu cadangan.")
    return keep
