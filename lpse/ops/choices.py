"""Levels, statuses and directions of the operations console (MON-1..MON-7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """How bad a condition is. OK closes an incident; WARNING < CRITICAL."""

    OK = "ok", _("Normal")
    WARNING = "warning", _("Peringatan")
    CRITICAL = "critical", _("Kritis")


#: Order of severity, for escalation and for "worst of" summaries.
SEVERITY: dict[str, int] = {Level.OK: 0, Level.WARNING: 1, Level.CRITICAL: 2}


def worst(levels) -> str:
    """The most severe of `levels` (OK for none)."""
    return max(levels, key=lambda level: SEVERITY[level], default=Level.OK)


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Selesai")


#: Allowed moves of an incident's level (STYLE practice 5); each writes an IncidentTransition.
#: "" is the start (no incident yet): an incident opens at WARNING or CRITICAL, escalates or
#: de-escalates between them, and closes at OK.
LEVEL_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({Level.WARNING, Level.CRITICAL}),
    Level.WARNING: frozenset({Level.CRITICAL, Level.OK}),
    Level.CRITICAL: frozenset({Level.WARNING, Level.OK}),
    Level.OK: frozenset(),
}


class Direction(models.TextChoices):
    """Which side of a threshold is bad."""

    ABOVE = "above", _("di atas batas")
    BELOW = "below", _("di bawah batas")
