from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lpse.accounts.choices import Role
from lpse.core.access import role_required
from lpse.reports import exports

from . import selectors
from .chain import quick_check
from .exports import EVENTS
from .forms import EventFilterForm
from .tasks import verify_chain_for

PAGE_SIZE = 50
AUDIT_ROLES = (Role.HEAD, Role.APPADMIN, Role.SYSADMIN)


@role_required(*AUDIT_ROLES)
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest) -> HttpResponse:
    """Searchable list of audit events with the chain's state (AUD-1)."""
    if request.method == "POST":
        verify_chain_for(request.user.pk)
        messages.info(
            request,
            _(
                "Pemeriksaan seluruh rantai berjalan di latar belakang; hasilnya tampil sebagai "
                "“Pemeriksaan penuh terakhir” di halaman ini."
            ),
        )
        return redirect(reverse("audit:list"))

    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.search_events(
        **{key: value for key, value in filters.items() if value not in (None, "")}
    )
    download = exports.download(request, form, EVENTS, events, filters)
    if download is not None:
        return download
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [(event, selectors.event_diff(event)) for event in page.object_list]
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "chain": quick_check(),
            "last_verification": selectors.last_full_verification(),
            "filtered": bool(filters and any(filters.values())),
        },
        status=400 if form.errors else 200,
    )
