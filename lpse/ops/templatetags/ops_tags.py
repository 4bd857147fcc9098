"""Display helpers of the operations console: values in their display units."""

from __future__ import annotations

from django import template

from .. import series

register = template.Library()


@register.filter
def gib(value) -> str:
    if value is None:
        return "—"
    return f"{series.number(value / series.GIB, 2)} GiB"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{series.number(value * 100, 1)} %"


@register.filter
def series_value(value, series_key: str) -> str:
    return series.display(series.metric_of(series_key), value)


@register.filter
def series_name(series_key: str) -> str:
    return series.describe(series_key)


@register.filter
def level_class(level: str) -> str:
    return {"ok": "success", "warning": "warning", "critical": "danger"}.get(level, "secondary")
