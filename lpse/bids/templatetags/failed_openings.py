"""`{% failed_opening_status tender %}`: the tender's failed-opening requests and their status
(ERR-1, SOP 3.1), shown to the committee on the opening page."""

from django import template

register = template.Library()


@register.inclusion_tag("bids/failures/_tender_status.html")
def failed_opening_status(tender):
    from ..failure_selectors import requests_of_tender

    return {"requests": requests_of_tender(tender)}
