"""The head's monthly summary on screen and as a one-page PDF (RPT-1, SOP-3 headline)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from lpse.accounts.selectors import head_signer_name
from lpse.core.access import role_required

from . import selectors
from .months import BadMonth, Period, first_of_next, first_of_previous, parse_month
from .summary_charts import chart_data
from .summary_pdf import summary_pdf


def _bad_month(request: HttpRequest, error: BadMonth) -> HttpResponse:
    return render(request, "reports/monthly_bad_month.html", {"error": str(error)}, status=400)


@role_required(*selectors.SUMMARY_ROLES)
@require_GET
def monthly(request: HttpRequest) -> HttpResponse:
    """/laporan/bulanan/?bulan=YYYY-MM (default: the last full month)."""
    try:
        month = parse_month(request.GET.get("bulan"))
    except BadMonth as error:
        return _bad_month(request, error)
    period = Period(month)
    summary = selectors.monthly_summary(period)
    following = first_of_next(month)
    return render(
        request,
        "reports/monthly.html",
        {
            "summary": summary,
            "period": period,
            "running": period.is_running(),
            "charts": chart_data(summary),
            "previous_code": f"{first_of_previous(month):%Y-%m}",
            "next_code": f"{following:%Y-%m}" if not period.is_running() else "",
        },
    )


@role_required(*selectors.SUMMARY_ROLES)
@require_GET
def monthly_pdf(request: HttpRequest, month: str) -> HttpResponse:
    """/laporan/bulanan/YYYY-MM.pdf: an official document, always in Indonesian."""
    try:
        first = parse_month(month)
    except BadMonth as error:
        return _bad_month(request, error)
    period = Period(first)
    with translation.override(settings.LANGUAGE_CODE):
        data = summary_pdf(selectors.monthly_summary(period), signer_name=head_signer_name())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ringkasan-bulanan-{period.code}.pdf"'
    return response
