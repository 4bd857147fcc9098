from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lpse.accounts.choices import Role

from . import selectors, services
from .access import role_required
from .forms import ClosureForm
from .models import Closure


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The greeting, the user's roles and links, and a panel per role held (RPT-1)."""
    from lpse.reports.dashboards import panels_for

    return render(request, "core/dashboard.html", {"panels": panels_for(request.user)})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The application server's health endpoint: answers when Django and the DB do."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _year(value: str | None) -> int:
    today = timezone.localdate()
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 1950 <= year <= 2100 else today.year


@role_required(Role.HEAD)
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    """The working calendar (SOP-4): national holidays of a year and the LPSE's own closures."""
    year = _year(request.GET.get("tahun"))
    form = ClosureForm()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            closure = get_object_or_404(Closure, pk=request.POST.get("closure") or 0)
            services.remove_closure(closure, by=request.user, request=request)
            messages.success(
                request,
                _("Hari tutup layanan %(day)s dihapus.")
                % {"day": closure.date.strftime("%d-%m-%Y")},
            )
            return redirect(f"{reverse('core:closures')}?tahun={closure.date.year}")
        form = ClosureForm(request.POST)
        if form.is_valid():
            try:
                closure = services.add_closure(
                    day=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(
                    request,
                    _("Hari tutup layanan %(day)s ditambahkan.")
                    % {"day": closure.date.strftime("%d-%m-%Y")},
                )
                return redirect(f"{reverse('core:closures')}?tahun={closure.date.year}")
    return render(
        request,
        "core/closures.html",
        {
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "form": form,
            "closures": selectors.closures_of_year(year),
            "national": selectors.national_holidays_of_year(year),
        },
        status=400 if form.errors else 200,
    )
