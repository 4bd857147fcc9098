"""Linear trends: when will a filesystem be full? (MON-1, Pasal 12(1))"""

from __future__ import annotations

from collections.abc import Sequence


def linear_fit(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares (slope, intercept) of (x, y) points; None for fewer than two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def seconds_until_full(
    points: Sequence[tuple[float, float]], capacity: float, now: float
) -> float | None:
    """Seconds from `now` until the fitted used-bytes line reaches `capacity`.

    `points` are (unix seconds, used bytes). None when the use is not growing
    (or there is too little history); 0 when the line is already past it.
    """
    fit = linear_fit(points)
    if fit is None:
        return None
    slope, intercept = fit
    if slope <= 0:
        return None
    full_at = (capacity - intercept) / slope
    return max(full_at - now, 0.0)
