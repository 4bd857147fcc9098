"""Backup destinations, one module per kind in a registry (STYLE practice 8; BAK-2).

A destination is where a medium's files live: `objects/` (content-addressed,
compressed, optionally encrypted), `backups/<id>/manifest.json` and
`medium.json`. Each module has KIND, LABEL, `accepts(target) -> bool` and
`open(target) -> Destination`. Only mounted paths exist today (a USB disk, a
network share mounted by the operating system); an object-storage kind would
be one more module.
"""

from __future__ import annotations

from types import ModuleType

from . import local
from .base import Destination, DestinationError

REGISTRY: dict[str, ModuleType] = {module.KIND: module for module in (local,)}

__all__ = ["REGISTRY", "Destination", "DestinationError", "open_destination"]


def open_destination(target: str) -> Destination:
    """The destination for `target` (a path or URL), from the first kind that accepts it."""
    for module in REGISTRY.values():
        if module.accepts(target):
            return module.open(target)
    raise DestinationError(f"Tujuan cadangan tidak dikenal: {target}")
