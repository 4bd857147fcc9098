"""Environment readings pushed by the facility's sensors (GEN-3, INF-3).

The same push as `POST /fasilitas/sensor/`, typed: the sensor's own bearer token
(`lpse-sensor-...`, scheme `SensorAuth`, not a user's token), the same per-sensor
limit shared with that endpoint, the same reading service
(`facility.env_services.record_reading`: value checks, alarm levels, incidents).
All readings of a push are stored or none. Allowed during a read-only maintenance
window: monitoring goes on (facility MaintenanceMiddleware).
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator, AwareDatetime

from lpse.facility import env_services
from lpse.facility.choices import Quantity

from .auth import SensorAuth
from .errors import BODY_ERRORS, COMMON_ERRORS, ApiError, error_responses

router = Router(tags=["sensor"])

QuantityIn = StrEnum("QuantityIn", {q.name: q.value for q in Quantity})


def _recent(value: datetime) -> datetime:
    if value.astimezone(UTC).year < 2000:
        raise ValueError("must be after 2000-01-01")
    return value


class ReadingIn(Schema):
    quantity: QuantityIn
    value: float = Field(
        strict=True, description="Angka; 0/1 untuk alarm (power, water, fire, door)"
    )
    at: Annotated[AwareDatetime, AfterValidator(_recent)] | None = Field(
        None, description="ISO 8601 dengan zona waktu; kosong: saat diterima"
    )


class ReadingsIn(Schema):
    readings: list[ReadingIn] = Field(
        min_length=1, max_length=env_services.MAX_READINGS_PER_REQUEST
    )


class StoredOut(Schema):
    stored: int
    levels: list[str] = Field(description="Tingkat tiap pembacaan: ok, warning, critical")


@router.post(
    "/readings",
    auth=SensorAuth(),
    response={201: StoredOut, **error_responses(*BODY_ERRORS, 401, *COMMON_ERRORS)},
    summary=str(_("Kirim pembacaan sensor lingkungan")),
    url_name="sensor_readings",
)
def sensor_readings(request: HttpRequest, data: ReadingsIn):
    """Store a sensor's readings (temperature, humidity, UPS, power, water, fire, door)."""
    sensor = request.auth
    if env_services.sensor_over_rate(sensor):
        raise ApiError(
            429,
            "rate_limited",
            _("Terlalu sering mengirim; coba lagi sebentar lagi."),
            retry_after=60,
        )
    try:
        with transaction.atomic():  # all readings of a push or none
            stored = [
                env_services.record_reading(
                    place=sensor.name,
                    quantity=row.quantity.value,
                    value=row.value,
                    at=row.at,
                    sensor=sensor,
                )
                for row in data.readings
            ]
    except env_services.ReadingError as error:
        raise ApiError(422, "invalid_reading", error.template, error.params) from None
    return Status(201, {"stored": len(stored), "levels": [reading.level for reading in stored]})
