"""Downsampling and retention of the samples (MON-1): raw runs older than
LPSE_OPS_RAW_DAYS become one HourlySample per probe and hour (the average of each
series), and hourly rows older than LPSE_OPS_HOURLY_DAYS are deleted."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import HourlySample, ProbeRun

BATCH_HOURS = 24 * 7


def _average(runs: list[dict]) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for values in runs:
        for key, value in values.items():
            if value is None:
                continue
            sums[key] += value
            counts[key] += 1
    return {key: sums[key] / counts[key] for key in sums}


def downsample(now: datetime | None = None) -> tuple[int, int]:
    """Returns (raw runs folded into hourly rows, hourly rows deleted)."""
    now = now or timezone.now()
    cutoff = (now - timedelta(days=settings.LPSE_OPS_RAW_DAYS)).replace(
        minute=0, second=0, microsecond=0
    )
    folded = 0
    while True:
        oldest = ProbeRun.objects.filter(at__lt=cutoff).order_by("at").values_list("at", flat=True)
        first = oldest.first()
        if first is None:
            break
        start = first.replace(minute=0, second=0, microsecond=0)
        end = min(start + timedelta(hours=BATCH_HOURS), cutoff)
        with transaction.atomic():
            batch = ProbeRun.objects.filter(at__gte=start, at__lt=end)
            groups: dict[tuple[str, datetime], list[dict]] = defaultdict(list)
            for kind, at, values in batch.values_list("kind", "at", "values"):
                groups[(kind, at.replace(minute=0, second=0, microsecond=0))].append(values)
            for (kind, hour), runs in groups.items():
                existing = HourlySample.objects.filter(kind=kind, hour=hour).first()
                if existing:  # a second pass over the same hour: weight by the run counts
                    merged = _average([existing.values] * existing.runs + runs)
                    existing.values, existing.runs = merged, existing.runs + len(runs)
                    existing.save(update_fields=["values", "runs"])
                else:
                    HourlySample.objects.create(
                        kind=kind, hour=hour, values=_average(runs), runs=len(runs)
                    )
            folded += batch.count()
            batch.delete()
    deleted, _detail = HourlySample.objects.filter(
        hour__lt=now - timedelta(days=settings.LPSE_OPS_HOURLY_DAYS)
    ).delete()
    return folded, deleted
