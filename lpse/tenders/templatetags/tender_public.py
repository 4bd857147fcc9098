"""Template filters of the public tender pages (BID-5)."""

from django import template

from lpse.tenders import formatting

register = template.Library()
register.filter("rupiah", formatting.rupiah)
register.filter("wib", formatting.wib)
register.filter("masked_tax_id", formatting.masked_tax_id)


@register.filter
def stage_label_at(tender, now):
    """The tender's stage as SPSE words it, derived from the clock (never stored)."""
    return tender.stage_label(now)
