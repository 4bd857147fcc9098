"""Probes, one module per kind in a registry (STYLE practice 8; MON-1..MON-4).

Each module has KIND, LABEL (Indonesian), DEFAULT_INTERVAL (seconds) and
`collect(previous)` -> `Result`, where `previous` is the kind's last `ProbeRun`
(or None) for counters and trends. A probe measures; it never raises for an
unreachable target (that is a value of 0 in an `*_up` series). The runner stores
the run, applies the thresholds and records the uptime.
"""

from __future__ import annotations

from types import ModuleType

from . import access, backup, database, host, mail, outbound, queue, website

REGISTRY: dict[str, ModuleType] = {
    module.KIND: module
    for module in (host, website, outbound, database, queue, mail, access, backup)
}
