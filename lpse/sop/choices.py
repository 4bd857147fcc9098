"""Statuses of SOP cases and the moves allowed between them (SOP-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Selesai")


#: status -> the statuses a case may move to from it.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return new in CASE_TRANSITIONS.get(current, frozenset())
