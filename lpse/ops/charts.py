"""Chart data (MON-7): every series of every probe over 1 day, 7 days or 30 days,
thinned to at most MAX_POINTS runs per probe so a 30-day chart stays light."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from . import series
from .models import HourlySample, ProbeRun
from .probes import REGISTRY

RANGES = {"1d": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}
MAX_POINTS = 360


def _thinned_runs(kind: str, since):
    """At most MAX_POINTS evenly spaced runs of `kind` since `since` (two light queries)."""
    ids = list(
        ProbeRun.objects.filter(kind=kind, at__gte=since)
        .order_by("at")
        .values_list("pk", flat=True)
    )
    step = max(len(ids) // MAX_POINTS, 1)
    chosen = ids[::step]
    return ProbeRun.objects.filter(pk__in=chosen).order_by("at").values_list("at", "values")


def chart_data(range_code: str) -> dict:
    """{"range", "charts": [{"metric", "label", "unit", "scale", "datasets": [{"label",
    "points": [[ms, display value], ...]}]}]} - values already in display units."""
    span = RANGES[range_code]
    since = timezone.now() - span
    points: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for kind in REGISTRY:
        rows = list(
            HourlySample.objects.filter(kind=kind, hour__gte=since)
            .order_by("hour")
            .values_list("hour", "values")
        ) + list(_thinned_runs(kind, since))
        for at, values in rows:
            stamp = int(at.timestamp() * 1000)
            for series_key, value in values.items():
                metric = series.metric_of(series_key)
                if metric is None or metric.counter or value is None:
                    continue
                points[metric.name][series_key].append([stamp, value * metric.unit.scale])
    charts = []
    for metric in series.METRICS:
        if metric.name not in points:
            continue
        datasets = [
            {
                "label": ", ".join(series.parse(key)[1].values()) or str(metric.label),
                "points": sorted(values),
            }
            for key, values in sorted(points[metric.name].items())
        ]
        charts.append(
            {
                "metric": metric.name,
                "kind": metric.kind,
                "label": str(metric.label),
                "unit": str(metric.unit.symbol),
                "datasets": datasets,
            }
        )
    return {"range": range_code, "charts": charts}
