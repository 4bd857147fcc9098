"""Audiences, statuses and their allowed moves, resources and letters of training (TRN-1..4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lpse.sop.standards import AUDIENCE_AGENCY, AUDIENCE_VENDOR


class Audience(models.TextChoices):
    """Who is trained: the SOP 2.4 step 7 schedule differs by audience."""

    VENDOR = AUDIENCE_VENDOR, _("Penyedia (rekanan)")
    AGENCY = AUDIENCE_AGENCY, _("Admin Agency, PPK dan Panitia")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    SCHEDULED = "scheduled", _("Terjadwal")
    REPLIED = "replied", _("Surat jawaban terkirim")
    ASSIGNED = "assigned", _("Pelatih ditugaskan")
    HELD = "held", _("Terlaksana")
    NOT_HELD = "not_held", _("Tidak terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


#: status -> the statuses a request may move to from it.
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.SUBMITTED: frozenset({RequestStatus.CONFIRMED, RequestStatus.CANCELLED}),
    RequestStatus.CONFIRMED: frozenset({RequestStatus.SCHEDULED, RequestStatus.CANCELLED}),
    RequestStatus.SCHEDULED: frozenset({RequestStatus.REPLIED, RequestStatus.CANCELLED}),
    RequestStatus.REPLIED: frozenset({RequestStatus.ASSIGNED, RequestStatus.CANCELLED}),
    RequestStatus.ASSIGNED: frozenset(
        {RequestStatus.HELD, RequestStatus.NOT_HELD, RequestStatus.CANCELLED}
    ),
    RequestStatus.HELD: frozenset(),
    RequestStatus.NOT_HELD: frozenset(),
    RequestStatus.CANCELLED: frozenset(),
}
#: Statuses whose session holds its room, trainer and server.
ACTIVE_STATUSES = frozenset(
    {RequestStatus.SCHEDULED, RequestStatus.REPLIED, RequestStatus.ASSIGNED}
)
OPEN_STATUSES = ACTIVE_STATUSES | {RequestStatus.SUBMITTED, RequestStatus.CONFIRMED}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Ruang pelatihan")
    SERVER = "server", _("Server latihan")


class BookingKind(models.TextChoices):
    """What a booked hour holds: a room, a trainer (a user) or a training server."""

    ROOM = "room", _("Ruang")
    TRAINER = "trainer", _("Pelatih")
    SERVER = "server", _("Server latihan")


class LetterKind(models.TextChoices):
    REPLY = "reply", _("Surat jawaban")
    ASSIGNMENT = "assignment", _("Surat tugas pelatih")
