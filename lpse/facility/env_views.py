"""Environment readings: the readings page, manual entry, sensor tokens and the
sensor push endpoint `POST /fasilitas/sensor/` (INF-3).

The endpoint takes JSON and a bearer token of an active sensor:

    Authorization: Bearer lpse-sensor-...
    {"readings": [{"quantity": "temperature", "value": 23.4, "at": "2026-11-29T10:00:00+07:00"}]}

(or one reading as the top-level object; `at` is optional, ISO 8601 with a zone).
Answers are JSON: 201 with the stored count, 400/401/405/413/415/429 with
{"error": code, "message": Indonesian text}.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from lpse.core.access import role_required

from . import env_services, selectors
from .choices import Quantity
from .forms import ReadingForm, SensorForm
from .models import Reading, Sensor
from .templatetags.facility import level_label

MAX_READINGS_PER_REQUEST = env_services.MAX_READINGS_PER_REQUEST
MAX_BODY_BYTES = 64 * 1024
MAX_CHART_POINTS = 1000


@role_required(*selectors.FACILITY_VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def environment(request):
    can_enter = request.user.has_role(*selectors.FACILITY_ROLES) or request.user.is_superuser
    form = ReadingForm(request.POST or None, initial={"at": timezone.localtime()})
    status = 200
    if request.method == "POST":
        if not can_enter:
            return redirect("facility:environment")
        if form.is_valid():
            data = form.cleaned_data
            try:
                reading = env_services.record_reading(
                    place=data["place"],
                    quantity=data["quantity"],
                    value=data["value"],
                    at=data["at"],
                    by=request.user,
                    request=request,
                )
            except env_services.ReadingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Pembacaan tercatat (%(level)s).") % {"level": level_label(reading.level)},
                )
                return redirect("facility:environment")
        status = 400
    history = Reading.objects.select_related("sensor", "entered_by")
    quantity = request.GET.get("besaran", "")
    if quantity in Quantity.values:
        history = history.filter(quantity=quantity)
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    latest = selectors.latest_readings()
    for reading in latest:
        reading.bounds = env_services.bounds_text(reading.quantity)
    return render(
        request,
        "facility/environment.html",
        {
            "latest": latest,
            "page": page,
            "form": form,
            "can_enter": can_enter,
            "quantities": Quantity.choices,
            "quantity": quantity,
        },
        status=status,
    )


@role_required(*selectors.FACILITY_VIEW_ROLES)
def environment_data(request):
    """Temperature and humidity of the last 7 days per place, with their bounds (charts)."""
    since = timezone.now() - timedelta(days=7)
    charts = []
    for quantity in (Quantity.TEMPERATURE, Quantity.HUMIDITY):
        target, tolerance, _critical = env_services._thresholds(quantity)
        places = (
            Reading.objects.filter(quantity=quantity, at__gte=since)
            .order_by("place")
            .values_list("place", flat=True)
            .distinct()
        )
        for place in places:
            rows = list(
                Reading.objects.filter(quantity=quantity, place=place, at__gte=since)
                .order_by("at")
                .values_list("at", "value")
            )
            step = max(1, len(rows) // MAX_CHART_POINTS)
            charts.append(
                {
                    "quantity": quantity,
                    "label": str(Quantity(quantity).label),
                    "place": place,
                    "low": target - tolerance,
                    "high": target + tolerance,
                    "points": [[int(at.timestamp() * 1000), value] for at, value in rows[::step]],
                }
            )
    return JsonResponse({"charts": charts})


@role_required(*selectors.FACILITY_ROLES)
@require_http_methods(["GET", "POST"])
def sensors(request):
    form = SensorForm(request.POST or None)
    token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _sensor, token = env_services.issue_sensor(
                    name=form.cleaned_data["name"],
                    location=form.cleaned_data["location"],
                    by=request.user,
                    request=request,
                )
            except env_services.ReadingError as error:
                form.add_error("name", error.message)
                status = 400
            else:
                form = SensorForm()
        else:
            status = 400
    response = render(
        request,
        "facility/sensors.html",
        {"form": form, "token": token, "sensors": Sensor.objects.all()},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the new token is shown once
    return response


@role_required(*selectors.FACILITY_ROLES)
@require_POST
def sensor_revoke(request, pk: int):
    sensor = get_object_or_404(Sensor, pk=pk)
    try:
        env_services.revoke_sensor(sensor, by=request.user, request=request)
    except env_services.ReadingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token sensor %(name)s dicabut.") % {"name": sensor.name})
    return redirect("facility:sensors")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@csrf_exempt  # machine-to-machine: the bearer token authenticates, no cookie is used
@never_cache
def sensor_push(request):
    if request.method != "POST":
        response = _error(405, "method", _("Gunakan POST."))
        response["Allow"] = "POST"
        return response
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    sensor = env_services.sensor_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if sensor is None:
        response = _error(401, "token", _("Token sensor tidak ada, salah atau sudah dicabut."))
        response["WWW-Authenticate"] = 'Bearer realm="lpse-sensor"'
        return response
    if request.content_type != "application/json":
        return _error(415, "content_type", _("Kirim data sebagai application/json."))
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, "too_large", _("Data terlalu besar."))
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "json", _("Data bukan JSON yang sah."))
    rows = payload.get("readings", [payload]) if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return _error(400, "shape", _('Kirim {"readings": [{"quantity": ..., "value": ...}]}.'))
    if len(rows) > MAX_READINGS_PER_REQUEST:
        return _error(
            413,
            "too_many",
            _("Paling banyak %(n)d pembacaan per kiriman.") % {"n": MAX_READINGS_PER_REQUEST},
        )
    if env_services.sensor_over_rate(sensor):
        response = _error(429, "rate", _("Terlalu sering mengirim; coba lagi sebentar lagi."))
        response["Retry-After"] = "60"
        return response
    parsed = []
    for index, row in enumerate(rows):
        at = None
        if row.get("at") is not None:
            at = parse_datetime(str(row["at"])) if isinstance(row["at"], str) else None
            if at is None or timezone.is_naive(at):
                return _error(
                    400,
                    "at",
                    _("Pembacaan ke-%(i)d: waktu harus ISO 8601 dengan zona waktu.")
                    % {"i": index + 1},
                )
        quantity, value = str(row.get("quantity", "")), row.get("value")
        try:
            value = env_services.check_value(
                quantity, int(value) if isinstance(value, bool) else value
            )
        except env_services.ReadingError as error:
            return _error(
                400,
                "reading",
                _("Pembacaan ke-%(i)d: %(message)s") % {"i": index + 1, "message": error.message},
            )
        parsed.append((quantity, value, at))
    try:
        with transaction.atomic():  # all readings of a push or none
            stored = [
                env_services.record_reading(
                    place=sensor.name, quantity=quantity, value=value, at=at, sensor=sensor
                )
                for quantity, value, at in parsed
            ]
    except env_services.ReadingError as error:
        return _error(400, "reading", error.message)
    return JsonResponse(
        {"stored": len(stored), "levels": [reading.level for reading in stored]}, status=201
    )
