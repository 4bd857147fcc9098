"""`{% facility_overdue %}`: the overdue Lampiran V items, for any page (the operations
console includes it) (MNT-1)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("facility/includes/overdue.html")
def facility_overdue():
    return {"overdue": selectors.overdue_summary()}


@register.simple_tag
def latest_news(limit: int = 5):
    """The newest published procurement news, for the public home page (MNT-2)."""
    return selectors.published_news(limit)


@register.filter
def level_label(value: str) -> str:
    """ "ok"/"warning"/"critical" as the operations console names them (Normal, ...)."""
    from lpse.ops.choices import Level

    return str(Level(value).label) if value in Level.values else value
