"""`{% facility_overdue %}`: the overdue Lampiran V items, for any page (the operations
console includes it) (MNT-1)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("facility/includes/overdue.html")
def facility_overdue(limit: int = 50):
    return {"overdue": list(selectors.overdue_items()[:limit])}


@register.simple_tag
def latest_news(limit: int = 5):
    """The newest published procurement news, for the public home page (MNT-2)."""
    return selectors.published_news(limit)
