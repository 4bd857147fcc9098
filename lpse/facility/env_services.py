"""Environment readings of the server room and their alarms (INF-3, Lampiran IV 4.1 butir 4, 7).

A reading is entered by hand or pushed by a sensor with its bearer token. Its
level (ok / warning / critical) comes from the regulation's bounds (22 +/- 2 C,
RH 50 +/- 5 %) and the alarms (water, fire/smoke, door, mains power, UPS), with
hysteresis so that a value wavering at a bound does not open and close incidents
over and over. A change of level goes to the operations console's incidents
(`lpse.ops.services.report_condition`, key `env:<place>:<quantity>`), which
e-mails the system administrators and closes the incident when back to OK.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lpse.accounts.choices import Role
from lpse.audit.services import record

from .choices import BOOLEAN_QUANTITIES, Quantity
from .models import EnvCondition, Reading, Sensor

OK, WARNING, CRITICAL = "ok", "warning", "critical"
LEVELS = (OK, WARNING, CRITICAL)
TOKEN_PREFIX = "lpse-sensor-"  # noqa: S105 - a label, not a secret
#: Values a reading of each quantity may have at all (anything else is a broken sensor).
VALID_RANGE = {
    Quantity.TEMPERATURE: (-40.0, 100.0),
    Quantity.HUMIDITY: (0.0, 100.0),
    Quantity.UPS: (0.0, 100.0),
}
#: How far back inside the bounds a value must come before an alarm clears.
HYSTERESIS = {Quantity.TEMPERATURE: 0.5, Quantity.HUMIDITY: 1.0, Quantity.UPS: 5.0}


class ReadingError(Exception):
    """A refused reading or sensor action; `message` is in the active language, `template`
    (lazy) with `params` lets the JSON API answer it in Indonesian and English (GEN-3)."""

    def __init__(self, message: str | Promise, params: dict | None = None) -> None:
        text = str(message) % params if params else str(message)
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params


def _thresholds(quantity: str) -> tuple[float, float, float]:
    """(target, warning distance, critical distance) of a bounded quantity."""
    if quantity == Quantity.TEMPERATURE:
        tolerance = settings.LPSE_ENV_TEMPERATURE_TOLERANCE
        return settings.LPSE_ENV_TEMPERATURE, tolerance, 2 * tolerance
    tolerance = settings.LPSE_ENV_HUMIDITY_TOLERANCE
    return settings.LPSE_ENV_HUMIDITY, tolerance, 2 * tolerance


def _badness(quantity: str, value: float) -> tuple[float, tuple[float, float]]:
    """How far the value is from good, and the warning/critical thresholds of that measure."""
    if quantity == Quantity.UPS:
        return 100 - value, (
            100 - settings.LPSE_ENV_UPS_WARNING,
            100 - settings.LPSE_ENV_UPS_CRITICAL,
        )
    target, warning, critical = _thresholds(quantity)
    return abs(value - target), (warning, critical)


def level_of(quantity: str, value: float, previous: str = OK) -> str:
    """The level of a reading, staying at `previous` until the value is back by the margin."""
    if quantity in BOOLEAN_QUANTITIES:
        alarm = value < 0.5 if quantity == Quantity.POWER else value >= 0.5
        if not alarm:
            return OK
        return WARNING if quantity == Quantity.DOOR else CRITICAL
    badness, thresholds = _badness(quantity, value)
    raw = sum(1 for threshold in thresholds if badness > threshold)
    level = LEVELS.index(previous) if previous in LEVELS else 0
    if raw >= level:
        return LEVELS[raw]
    margin = HYSTERESIS[quantity]
    while level > raw and badness <= thresholds[level - 1] - margin:
        level -= 1
    return LEVELS[level]


def bounds_text(quantity: str) -> str:
    if quantity in (Quantity.TEMPERATURE, Quantity.HUMIDITY):
        target, tolerance, _critical = _thresholds(quantity)
        unit = "°C" if quantity == Quantity.TEMPERATURE else "%"
        return f"{target} ± {tolerance} {unit}"
    if quantity == Quantity.UPS:
        return _("di atas %(n)d %%") % {"n": settings.LPSE_ENV_UPS_WARNING}
    if quantity == Quantity.POWER:
        return _("1 (ada)")
    return _("0 (normal)")


def check_value(quantity: str, value: float) -> float:
    if quantity not in Quantity.values:
        raise ReadingError(gettext_lazy("Besaran %(q)s tidak dikenal."), {"q": quantity})
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ReadingError(gettext_lazy("Nilai harus berupa angka.")) from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinity
        raise ReadingError(gettext_lazy("Nilai harus berupa angka."))
    if quantity in BOOLEAN_QUANTITIES and value not in (0.0, 1.0):
        raise ReadingError(
            gettext_lazy("Nilai %(q)s harus 0 atau 1."), {"q": Quantity(quantity).label}
        )
    low, high = VALID_RANGE.get(quantity, (0.0, 1.0))
    if not low <= value <= high:
        raise ReadingError(
            gettext_lazy("Nilai %(q)s harus antara %(low)s dan %(high)s."),
            {"q": Quantity(quantity).label, "low": low, "high": high},
        )
    return value


def condition_key(place: str, quantity: str) -> str:
    return f"env:{slugify(place)[:80] or 'ruang'}:{quantity}"


def _report(key: str, level: str, *, place: str, quantity: str, value: float, at: datetime):
    """Open, escalate or close the incident of this condition on the operations console."""
    from lpse.ops.choices import Level
    from lpse.ops.services import report_condition

    label = Quantity(quantity).label
    title = (
        _("%(place)s: %(quantity)s kembali normal")
        if level == OK
        else _("%(place)s: %(quantity)s di luar batas")
    ) % {"place": place, "quantity": label}
    report_condition(
        key,
        level=Level(level),
        title=title,
        value=value,
        detail=_("Nilai %(value)s; batas %(bounds)s (Lampiran IV 4.1).")
        % {"value": value, "bounds": bounds_text(quantity)},
        evidence_url=settings.SITE_URL + reverse("facility:environment"),
        roles=(Role.SYSADMIN,),
        at=at,
    )


@transaction.atomic
def record_reading(
    *,
    place: str,
    quantity: str,
    value,
    at: datetime | None = None,
    sensor: Sensor | None = None,
    by=None,
    request=None,
) -> Reading:
    """Store one reading and move the condition's alarm level (with hysteresis)."""
    value = check_value(quantity, value)
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5):
        raise ReadingError(gettext_lazy("Waktu pembacaan tidak boleh di masa depan."))
    place = (place or "").strip()[:80]
    if not place:
        raise ReadingError(gettext_lazy("Tuliskan lokasinya."))
    key = condition_key(place, quantity)
    # get_or_create first: two sensors' first readings of a key must not both insert it.
    EnvCondition.objects.get_or_create(key=key, defaults={"level": OK, "changed_at": at})
    condition = EnvCondition.objects.select_for_update().get(key=key)
    previous = condition.level
    level = level_of(quantity, value, previous)
    reading = Reading.objects.create(
        sensor=sensor,
        place=place,
        quantity=quantity,
        value=value,
        at=at,
        entered_by=by,
        level=level,
    )
    if sensor is not None:
        Sensor.objects.filter(pk=sensor.pk).update(last_seen_at=now)
    changed = level != previous
    if changed:
        condition.level = level
        condition.changed_at = at
        condition.save(update_fields=["level", "changed_at"])
    if changed:
        _report(key, level, place=place, quantity=quantity, value=value, at=at)
    if by is not None or changed:
        record(
            "facility.reading_alarm" if changed else "facility.reading_entered",
            actor=by or (f"sensor:{sensor.name}" if sensor else None),
            target=reading,
            before={"level": previous},
            after={"place": place, "quantity": quantity, "value": value, "level": level},
            summary=_("%(place)s: %(quantity)s = %(value)s (%(level)s)")
            % {
                "place": place,
                "quantity": Quantity(quantity).label,
                "value": value,
                "level": level,
            },
            request=request,
        )
    return reading


# --- Sensor tokens --------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_sensor(*, name: str, location: str, by, request=None) -> tuple[Sensor, str]:
    """A new sensor and its bearer token; the token is returned once and only its hash kept."""
    if Sensor.objects.filter(name=name).exists():
        raise ReadingError(gettext_lazy("Nama sensor %(name)s sudah dipakai."), {"name": name})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    sensor = Sensor.objects.create(
        name=name,
        location=location.strip(),
        token_hash=token_hash(token),
        token_hint=token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
        created_by=by,
    )
    record(
        "facility.sensor_issued",
        actor=by,
        target=sensor,
        after={"name": sensor.name, "location": sensor.location, "hint": sensor.token_hint},
        summary=_("Token sensor %(name)s diterbitkan") % {"name": sensor.name},
        request=request,
    )
    return sensor, token


@transaction.atomic
def revoke_sensor(sensor: Sensor, *, by, request=None) -> Sensor:
    sensor = Sensor.objects.select_for_update().get(pk=sensor.pk)
    if not sensor.is_active:
        raise ReadingError(gettext_lazy("Token sensor ini sudah dicabut."))
    sensor.is_active = False
    sensor.revoked_at = timezone.now()
    sensor.revoked_by = by
    sensor.save(update_fields=["is_active", "revoked_at", "revoked_by"])
    record(
        "facility.sensor_revoked",
        actor=by,
        target=sensor,
        before={"is_active": True},
        after={"is_active": False},
        summary=_("Token sensor %(name)s dicabut") % {"name": sensor.name},
        request=request,
    )
    return sensor


#: Readings one push may carry (the page endpoint and the JSON API alike).
MAX_READINGS_PER_REQUEST = 50


def sensor_over_rate(sensor: Sensor) -> bool:
    """Count one push of `sensor` in this minute; True past LPSE_SENSOR_READINGS_PER_MINUTE.

    One counter per sensor in the shared cache, whichever endpoint the push came through.
    """
    key = f"facility:sensor-rate:{sensor.pk}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.LPSE_SENSOR_READINGS_PER_MINUTE


def sensor_for_token(token: str) -> Sensor | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return Sensor.objects.filter(token_hash=token_hash(token), is_active=True).first()
