"""Statuses and kinds of the facility app, with allowed transitions next to them
(MON-5, MNT-1, INF-1..INF-3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WindowStatus(models.TextChoices):
    """A maintenance window (MON-5): scheduled, then ended or cancelled."""

    SCHEDULED = "scheduled", _("Terjadwal")
    ENDED = "ended", _("Diakhiri lebih awal")
    CANCELLED = "cancelled", _("Dibatalkan")


class VisitStatus(models.TextChoices):
    """A server-room visit request (INF-1, Pasal 11(4))."""

    REQUESTED = "requested", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REFUSED = "refused", _("Ditolak")
    INSIDE = "inside", _("Di dalam ruang server")
    LEFT = "left", _("Sudah keluar")
    CANCELLED = "cancelled", _("Dibatalkan")


#: status -> the statuses a visit may move to from it.
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.REQUESTED: frozenset(
        {VisitStatus.APPROVED, VisitStatus.REFUSED, VisitStatus.CANCELLED}
    ),
    VisitStatus.APPROVED: frozenset({VisitStatus.INSIDE, VisitStatus.CANCELLED}),
    VisitStatus.INSIDE: frozenset({VisitStatus.LEFT}),
    VisitStatus.REFUSED: frozenset(),
    VisitStatus.LEFT: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}


def can_move_visit(current: str, new: str) -> bool:
    return new in VISIT_TRANSITIONS.get(current, frozenset())


class IdentityType(models.TextChoices):
    KTP = "ktp", _("KTP")
    SIM = "sim", _("SIM")
    PASSPORT = "passport", _("Paspor")
    STAFF_CARD = "staff_card", _("Kartu pegawai")
    OTHER = "other", _("Lainnya")


class ItemStatus(models.TextChoices):
    """One checklist item of a maintenance cycle (MNT-1) or an inspection (INF-2)."""

    OPEN = "open", _("Belum diperiksa")
    DONE = "done", _("Sudah diperiksa")


class Frequency(models.TextChoices):
    """How often a data-centre item is inspected (INF-2, Lampiran IV 4.1 butir 8)."""

    WEEKLY = "weekly", _("Mingguan")
    MONTHLY = "monthly", _("Bulanan")


class Quantity(models.TextChoices):
    """What an environment reading measures (INF-3)."""

    TEMPERATURE = "temperature", _("Suhu (°C)")
    HUMIDITY = "humidity", _("Kelembaban relatif (%)")
    UPS = "ups", _("UPS: daya baterai (%)")
    POWER = "power", _("Catu daya PLN (ada/tidak)")
    WATER = "water", _("Kebocoran air")
    FIRE = "fire", _("Api/asap")
    DOOR = "door", _("Pintu terbuka")


#: Quantities that are alarms: a value of 1 means the alarm is raised (water, smoke,
#: door open) - except POWER, where 1 means mains power is present and 0 the alarm.
BOOLEAN_QUANTITIES = frozenset({Quantity.POWER, Quantity.WATER, Quantity.FIRE, Quantity.DOOR})
