"""Public tender data in the shape SPSE 4 clients read (BID-5, docs/SPSE-COMPAT.md).

The pages are a protocol as much as pages: their headings and keys ("Kode Tender",
"Perubahan", ...) are what clients parse, so they stay in Indonesian whatever the
visitor's language, and their markup follows SPSE's (a ``div.content`` holding the
tables). Reads only; the list's POST carries no Django CSRF token but SPSE's own
``authenticityToken``, checked here against the ``SPSE_SESSION`` cookie.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import spse, spse_selectors
from .public_presenters import detail_context


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    with translation.override("id"):
        context = {"COMPAT_VERSION": spse.COMPAT_VERSION, **context}
        return render(request, f"tenders/spse/{template}", context, status=status)


def not_found(request, *args, **kwargs) -> HttpResponse:
    """SPSE's "not found" page: clients read its sentence as "package not found"."""
    return _render(request, "not_found.html", {}, status=404)


@require_GET
def home(request):
    return _render(request, "home.html", {"counts": spse_selectors.kind_counts()})


@require_GET
def list_page(request, kind: str = "lelang"):
    """Where clients get their token (cookie, and the page's fallback line)."""
    token = spse.new_token()
    response = _render(request, "list.html", {"kind": kind, "token": token})
    response.set_cookie(
        spse.COOKIE,
        spse.cookie_value(token),
        max_age=spse.TOKEN_SECONDS,
        path="/spse",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _refuse(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def datatable(request, kind: str):
    """``/dt/<kind>``: the DataTables server-side list SPSE's package search answers."""
    if kind not in spse.KINDS:
        return not_found(request)
    params = request.POST if request.method == "POST" else request.GET
    posted = params.get("authenticityToken", "")
    cookie = spse.token_from_cookie(request.COOKIES.get(spse.COOKIE, ""))
    if not spse.token_is_valid(posted) or posted != cookie:
        return _refuse(
            "Token tidak sah atau kedaluwarsa (authenticityToken). "
            "Buka /spse/lelang untuk mendapat token baru, lalu kirim lagi.",
            403,
        )
    try:
        query = spse_selectors.DataTableQuery.from_params(params)
    except ValueError as error:
        return _refuse(str(error), 400)
    with translation.override("id"):
        total, filtered, rows = spse_selectors.datatable(kind, query, now=timezone.now())
    return JsonResponse(
        {"draw": query.draw, "recordsTotal": total, "recordsFiltered": filtered, "data": rows},
        json_dumps_params={"ensure_ascii": False},
    )


def spse_tender(non_tender: bool):
    """Fetch the public tender of the URL for its SPSE kind, else SPSE's not-found page."""

    def decorator(view):
        @wraps(view)
        @require_GET
        def wrapper(request, code: str):
            try:
                tender = spse_selectors.get_spse_tender(code, non_tender=non_tender)
            except Http404:
                return not_found(request)
            return view(request, tender)

        return wrapper

    return decorator


def _context(tender, non_tender: bool) -> dict:
    context = detail_context(tender, timezone.now())
    context.update(spse_selectors.spse_context(tender, context, non_tender=non_tender))
    return context


def _page(template: str, non_tender: bool):
    @spse_tender(non_tender)
    def view(request, tender):
        with translation.override("id"):  # stage names are SPSE's, whatever the visitor's language
            return _render(request, template, _context(tender, non_tender))

    return view


announcement = _page("announcement.html", non_tender=False)
participants = _page("participants.html", non_tender=False)
schedule = _page("schedule.html", non_tender=False)
evaluation = _page("evaluation.html", non_tender=False)
winner = _page("winner.html", non_tender=False)
contracted_winner = _page("contracted_winner.html", non_tender=False)
nontender_announcement = _page("announcement.html", non_tender=True)
nontender_participants = _page("participants.html", non_tender=True)
nontender_schedule = _page("schedule.html", non_tender=True)
nontender_evaluation = _page("evaluation.html", non_tender=True)
nontender_winner = _page("winner.html", non_tender=True)
nontender_contracted_winner = _page("contracted_winner.html", non_tender=True)
