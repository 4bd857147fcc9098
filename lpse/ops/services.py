"""Writes of the operations console (STYLE practice 1): incidents, probe schedules,
thresholds and metrics tokens. Each is atomic and audited as its last write."""

from __future__ import annotations

from .config_services import (
    issue_metrics_token,
    revoke_metrics_token,
    update_probe_config,
    update_threshold,
)
from .incidents import acknowledge_incident, report_condition, send_reminders

__all__ = [
    "acknowledge_incident",
    "issue_metrics_token",
    "report_condition",
    "revoke_metrics_token",
    "send_reminders",
    "update_probe_config",
    "update_threshold",
]
