"""The daily capacity report (MON-1, Pasal 12(1)): per filesystem the current use, the
30-day trend and the projected date it fills, flagged critical when that date is
closer than LPSE_CAPACITY_CRITICAL_DAYS; RAM (critical at its threshold's critical
bound) and the database size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lpse.accounts.choices import Role

from . import series
from .models import HourlySample, ProbeRun, Threshold
from .trend import linear_fit, seconds_until_full

TREND_DAYS = 30


@dataclass
class FilesystemCapacity:
    mountpoint: str
    size: float
    free: float
    used_ratio: float
    growth_per_day: float | None  # bytes per day over the trend window, None without history
    full_on: date | None  # projected date, None when not growing
    days_left: float | None
    critical: bool


def _daily_points(kind: str, now: datetime, days: int) -> list[tuple[datetime, dict]]:
    """One stored sample per day (the first run after each day's start, else the hourly
    average), oldest first: a 30-day trend without reading 43 200 rows."""
    points = []
    for back in range(days, 0, -1):
        start = now - timedelta(days=back)
        end = start + timedelta(days=1)
        row = (
            ProbeRun.objects.filter(kind=kind, at__gte=start, at__lt=end, ok=True)
            .order_by("at")
            .values_list("at", "values")
            .first()
        ) or (
            HourlySample.objects.filter(kind=kind, hour__gte=start, hour__lt=end)
            .order_by("hour")
            .values_list("hour", "values")
            .first()
        )
        if row:
            points.append(row)
    return points


def _used(values: dict, mountpoint: str) -> tuple[float, float] | None:
    free = values.get(series.key("filesystem_free_bytes", mountpoint=mountpoint))
    ratio = values.get(series.key("filesystem_used_ratio", mountpoint=mountpoint))
    if free is None or ratio is None or ratio >= 1:
        return None
    capacity = free / (1 - ratio)
    return capacity - free, capacity


def capacity_report(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    latest = ProbeRun.objects.filter(kind="host", ok=True).order_by("-at", "-pk").first()
    database = ProbeRun.objects.filter(kind="database").order_by("-at", "-pk").first()
    if latest is None:
        return {"at": None, "filesystems": [], "memory_used_ratio": None, "database_size": None}
    history = _daily_points("host", now, TREND_DAYS)
    filesystems = []
    for series_key, ratio in sorted(latest.values.items()):
        name, labels = series.parse(series_key)
        if name != "filesystem_used_ratio":
            continue
        mountpoint = labels["mountpoint"]
        used_now = _used(latest.values, mountpoint)
        if used_now is None:
            continue
        used, capacity = used_now
        points = [
            (at.timestamp(), point[0])
            for at, values in history
            if (point := _used(values, mountpoint)) is not None
        ] + [(latest.at.timestamp(), used)]
        fit = linear_fit(points)
        growth = fit[0] * 86400 if fit else None
        seconds = seconds_until_full(points, capacity, now.timestamp())
        full_on = timezone.localdate(now + timedelta(seconds=seconds)) if seconds else None
        days_left = seconds / 86400 if seconds is not None else None
        filesystems.append(
            FilesystemCapacity(
                mountpoint=mountpoint,
                size=latest.values.get(
                    series.key("filesystem_size_bytes", mountpoint=mountpoint), capacity
                ),
                free=capacity - used,
                used_ratio=ratio,
                growth_per_day=growth,
                full_on=full_on,
                days_left=days_left,
                critical=days_left is not None and days_left < settings.LPSE_CAPACITY_CRITICAL_DAYS,
            )
        )
    memory = latest.values.get("memory_used_ratio")
    memory_bound = (
        Threshold.objects.filter(metric="memory_used_ratio", enabled=True)
        .values_list("critical", flat=True)
        .first()
    )
    return {
        "at": latest.at,
        "filesystems": filesystems,
        "memory_used_ratio": memory,
        "memory_critical": memory is not None
        and memory_bound is not None
        and memory >= memory_bound,
        "database_size": database.values.get("database_size_bytes") if database else None,
        "trend_days": TREND_DAYS,
        "history_days": len(history),
        "critical_days": settings.LPSE_CAPACITY_CRITICAL_DAYS,
    }


def send_capacity_report(now: datetime | None = None) -> int:
    """E-mail the report to every active system administrator; returns the recipients."""
    from lpse.accounts.models import User

    to = sorted(
        set(
            User.objects.filter(is_active=True, role_rows__role=Role.SYSADMIN)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not to:
        return 0
    report = capacity_report(now)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "url": settings.SITE_URL + reverse("ops:capacity"),
            "LPSE_NAME": settings.LPSE_NAME,
            "any_critical": report.get("memory_critical")
            or any(fs.critical for fs in report["filesystems"]),
        }
        subject = render_to_string("ops/email/capacity_subject.txt", context).strip()
        body = render_to_string("ops/email/capacity_body.txt", context)
    send_mail(subject, body, None, to)
    return len(to)
