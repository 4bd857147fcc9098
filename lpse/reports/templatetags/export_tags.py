"""``{% export_buttons %}``: "Unduh CSV" / "Unduh XLSX" links carrying the list's current
filters (RPT-1). Page numbers are dropped: a file holds every page of the filtered list."""

from __future__ import annotations

from django import template

from lpse.reports.exports import export_query

register = template.Library()


@register.inclusion_tag("reports/export_buttons.html", takes_context=True)
def export_buttons(context) -> dict:
    request = context["request"]
    return {
        "csv_url": f"{request.path}?{export_query(request, 'csv')}",
        "xlsx_url": f"{request.path}?{export_query(request, 'xlsx')}",
    }
