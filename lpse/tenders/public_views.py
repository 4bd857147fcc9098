"""Public tender pages and open data (BID-5): list, detail, OCDS releases and packages.

No login: everything here is what the regulation makes public. Reads only.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lpse.reports import exports

from . import ocds, public_selectors
from .exports import PUBLIC_TENDERS
from .public_forms import PeriodForm, PublicFilterForm
from .public_presenters import detail_context


@require_GET
def public_list(request):
    now = timezone.now()
    form = PublicFilterForm(request.GET or None)
    tenders = public_selectors.search(form.criteria(), now=now)
    filters = form.cleaned_data if form.is_valid() else {}
    download = exports.download(request, form, PUBLIC_TENDERS, tenders, filters)
    if download is not None:
        return download
    page = Paginator(tenders, settings.LPSE_PUBLIC_PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "tenders/public/list.html",
        {"form": form, "page": page, "now": now, "query": exports.page_query(request)},
        status=400 if form.errors and exports.wanted(request) else 200,
    )


@require_GET
def public_detail(request, code: str):
    tender = public_selectors.get_public_tender(code)
    return render(request, "tenders/public/detail.html", detail_context(tender, timezone.now()))


def _absolute(request) -> str:
    return settings.SITE_URL + request.get_full_path()


@require_GET
def public_ocds(request, code: str):
    """The releases of one tender as an OCDS release package."""
    tender = public_selectors.get_public_tender(code)
    releases = ocds.releases(tender)
    published = max(datetime.fromisoformat(r["date"]) for r in releases)
    body = "".join(
        ocds.package_chunks(uri=_absolute(request), published=published, releases=releases)
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ocds-{tender.code}.json"'
    return response


@require_GET
def public_ocds_package(request):
    """Every release dated in a period (WIB days), streamed: any size in flat memory."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        return JsonResponse(
            {"error": messages}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    first, last = form.cleaned_data["dari"], form.cleaned_data["sampai"]
    tenders = public_selectors.released_between(first, last)

    def releases():
        for tender in tenders.iterator(chunk_size=200):
            for release in ocds.releases(tender):
                if public_selectors.release_in_period(release, first, last):
                    yield release

    stream = releases()
    head = next(stream, None)
    if head is None:
        return JsonResponse(
            {
                "error": [
                    _("Tidak ada rilis OCDS dalam periode %(first)s s.d. %(last)s.")
                    % {"first": first.isoformat(), "last": last.isoformat()}
                ]
            },
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    chunks = ocds.package_chunks(
        uri=_absolute(request), published=timezone.now(), releases=chain([head], stream)
    )
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ocds-{first.isoformat()}-{last.isoformat()}.json"'
    )
    return response
