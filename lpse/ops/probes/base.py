"""What a probe returns: typed values by series key, a summary and details."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Result:
    values: dict[str, float] = field(default_factory=dict)
    summary: str = ""
    #: False when the probe itself could not measure (its condition becomes an incident).
    ok: bool = True
    detail: dict = field(default_factory=dict)
