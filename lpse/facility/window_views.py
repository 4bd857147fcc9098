"""The maintenance console: schedule, end early or cancel a window (MON-5)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lpse.core.access import role_required

from . import selectors, window_services
from .forms import CloseWindowForm, WindowForm
from .models import MaintenanceWindow


@role_required(*selectors.WINDOW_ROLES)
@require_http_methods(["GET", "POST"])
def window_list(request):
    form = WindowForm(request.POST or None)
    overlaps = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            overlaps = selectors.bid_upload_overlaps(data["starts_at"], data["ends_at"])
            try:
                window = window_services.schedule_window(
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    services=data["services"],
                    message=data["message"],
                    read_only=data["read_only"],
                    banner_hours=data["banner_hours"],
                    confirm_overlap=data["confirm_overlap"],
                    by=request.user,
                    request=request,
                )
            except window_services.WindowError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("Pemeliharaan dijadwalkan. Pengumuman tampil sejak %(at)s WIB.")
                    % {"at": timezone.localtime(window.banner_from).strftime("%d-%m-%Y %H.%M")},
                )
                return redirect("facility:window_list")
        status = 400
    now = timezone.now()
    windows = list(selectors.windows()[:50])
    return render(
        request,
        "facility/windows.html",
        {
            "form": form,
            "overlaps": overlaps,
            "upcoming": [w for w in windows if w.status == "scheduled" and w.ends_at > now],
            "past": [w for w in windows if not (w.status == "scheduled" and w.ends_at > now)],
            "close_form": CloseWindowForm(),
        },
        status=status,
    )


@role_required(*selectors.WINDOW_ROLES)
@require_POST
def window_close(request, pk: int):
    window = get_object_or_404(MaintenanceWindow, pk=pk)
    form = CloseWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan mengakhiri atau membatalkan pemeliharaan."))
        return redirect("facility:window_list")
    try:
        window = window_services.close_window(
            window, reason=form.cleaned_data["reason"], by=request.user, request=request
        )
    except window_services.WindowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pemeliharaan diakhiri.")
            if window.status == "ended"
            else _("Pemeliharaan dibatalkan."),
        )
    return redirect("facility:window_list")
