"""Thresholds with hysteresis and the trend projection (MON-1)."""

from __future__ import annotations

import pytest

from lpse.ops.choices import Direction, Level
from lpse.ops.models import Threshold
from lpse.ops.trend import linear_fit, seconds_until_full


def disk() -> Threshold:
    return Threshold(
        metric="filesystem_used_ratio",
        direction=Direction.ABOVE,
        warning=0.80,
        critical=0.90,
        margin=0.02,
    )


@pytest.mark.parametrize(
    ("value", "current", "expected"),
    [
        (0.79, Level.OK, Level.OK),
        (0.80, Level.OK, Level.WARNING),
        (0.91, Level.OK, Level.CRITICAL),
        (0.79, Level.WARNING, Level.WARNING),  # inside the margin: still warning
        (0.779, Level.WARNING, Level.OK),  # clearly below: recovered
        (0.89, Level.CRITICAL, Level.CRITICAL),  # hysteresis holds critical
        (0.87, Level.CRITICAL, Level.WARNING),
        (0.70, Level.CRITICAL, Level.OK),
    ],
)
def test_mon_1_disk_threshold_levels_with_hysteresis(value, current, expected):
    """MON-1: disk 80/90 %; recovery only below the bound minus the 2-point margin."""
    from lpse.ops.thresholds import evaluate

    assert evaluate(value, disk(), current) == expected


def test_mon_1_below_thresholds_for_time_left_and_certificates():
    """MON-1/MON-2: 'full within 24 h / 4 h' and 'certificate 21/7 days' are lower bounds."""
    from lpse.ops.thresholds import evaluate

    full = Threshold(direction=Direction.BELOW, warning=86400, critical=14400, margin=3600)
    assert evaluate(200000, full) == Level.OK
    assert evaluate(80000, full) == Level.WARNING
    assert evaluate(3600, full) == Level.CRITICAL
    assert evaluate(16000, full, Level.CRITICAL) == Level.CRITICAL  # within the hour margin
    assert evaluate(20000, full, Level.CRITICAL) == Level.WARNING
    up = Threshold(direction=Direction.BELOW, warning=None, critical=0.5, margin=0)
    assert evaluate(0, up) == Level.CRITICAL
    assert evaluate(1, up, Level.CRITICAL) == Level.OK


def test_mon_1_trend_projection_on_hand_made_samples():
    """MON-1: 1 GB/hour growth with 10 GB left is full in 10 hours; shrinking never fills."""
    hour = 3600.0
    gb = 1e9
    points = [(i * hour, 50 * gb + i * gb) for i in range(6)]  # 50 .. 55 GB used
    slope, intercept = linear_fit(points)
    assert slope == pytest.approx(gb / hour)
    assert intercept == pytest.approx(50 * gb)
    now = 5 * hour
    assert seconds_until_full(points, 65 * gb, now) == pytest.approx(10 * hour)
    shrinking = [(i * hour, 50 * gb - i * gb) for i in range(6)]
    assert seconds_until_full(shrinking, 65 * gb, now) is None
    assert seconds_until_full(points[:1], 65 * gb, now) is None
    assert seconds_until_full(points, 52 * gb, now) == 0.0  # already past the line
