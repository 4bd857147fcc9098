"""Thresholds with hysteresis (MON-1..MON-4): a level from a value, and the incidents
of one probe run."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lpse.accounts.choices import Role

from . import series
from .choices import SEVERITY, Direction, Level, worst
from .models import Incident, Threshold

METRIC_PREFIX = "metric:"


def ensure_defaults() -> None:
    """Create the threshold row of every catalogue gauge that has none yet: the default
    bounds where the catalogue gives them, else an empty row switched off, which the
    sysadmin may fill in (CPU, load, swap, response times, ...)."""
    existing = set(Threshold.objects.values_list("metric", flat=True))
    missing = []
    for metric in series.METRICS:
        if metric.counter or metric.name in existing:
            continue
        if metric.default_threshold:
            direction, warning, critical, margin = metric.default_threshold
            missing.append(
                Threshold(
                    metric=metric.name,
                    direction=direction,
                    warning=warning,
                    critical=critical,
                    margin=margin,
                )
            )
        else:
            missing.append(Threshold(metric=metric.name, enabled=False))
    if missing:
        try:
            with transaction.atomic():
                Threshold.objects.bulk_create(missing, ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - a concurrent first run
            pass


def _bad(value: float, bound: float | None, direction: str, margin: float = 0.0) -> bool:
    """Is `value` on the bad side of `bound` (moved by `margin` towards good)?"""
    if bound is None:
        return False
    if direction == Direction.ABOVE:
        return value >= bound - margin
    return value <= bound + margin


def evaluate(value: float, threshold: Threshold, current: str = Level.OK) -> Level:
    """The level of `value`; with hysteresis, a level already reached holds until the
    value is better than its bound by the margin."""
    raw = Level.OK
    if _bad(value, threshold.critical, threshold.direction):
        raw = Level.CRITICAL
    elif _bad(value, threshold.warning, threshold.direction):
        raw = Level.WARNING
    if SEVERITY[raw] >= SEVERITY.get(current, 0):
        return raw
    # Recovering: stay at the current level until clearly past its bound.
    if current == Level.CRITICAL and _bad(
        value, threshold.critical, threshold.direction, threshold.margin
    ):
        return Level.CRITICAL
    if current in (Level.CRITICAL, Level.WARNING) and _bad(
        value, threshold.warning, threshold.direction, threshold.margin
    ):
        return Level.WARNING
    return raw


def condition_title(series_key: str, value: float, level: str) -> str:
    metric = series.metric_of(series_key)
    return _("%(series)s: %(value)s") % {
        "series": series.describe(series_key),
        "value": series.display(metric, value),
    }


def apply(kind: str, values: dict[str, float]) -> str:
    """Open, escalate or close the incidents of one run's values; the worst level seen."""
    from .incidents import report_condition

    names = {metric.name for metric in series.METRICS if metric.kind == kind}
    thresholds = {
        row.metric: row for row in Threshold.objects.filter(metric__in=names, enabled=True)
    }
    open_levels = dict(
        Incident.objects.filter(status="open", key__startswith=METRIC_PREFIX).values_list(
            "key", "level"
        )
    )
    evidence = reverse("ops:dashboard") + f"#probe-{kind}"
    levels = []
    seen = set()
    for series_key, value in values.items():
        name, _labels = series.parse(series_key)
        threshold = thresholds.get(name)
        if threshold is None or value is None:
            continue
        condition = METRIC_PREFIX + series_key
        seen.add(condition)
        current = open_levels.get(condition, Level.OK)
        level = evaluate(value, threshold, current)
        levels.append(level)
        if level == Level.OK and condition not in open_levels:
            continue
        report_condition(
            condition,
            level=level,
            title=condition_title(series_key, value, level),
            value=value,
            evidence_url=evidence,
            roles=(Role.SYSADMIN,),
        )
    # A series that vanished (a target removed, a disk no longer filling up) or whose
    # threshold was switched off: its incident closes.
    for condition in open_levels:
        name = series.parse(condition[len(METRIC_PREFIX) :])[0]
        if name in names and condition not in seen:
            report_condition(
                condition,
                level=Level.OK,
                title=series.describe(condition[len(METRIC_PREFIX) :]),
                detail=_("Deret tidak lagi diukur atau ambang batasnya dinonaktifkan."),
            )
    return worst(levels)
