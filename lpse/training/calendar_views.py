"""The month calendar, trainers' iCalendar feed, the head's other days and the
training rooms/servers (TRN-2, TRN-4)."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.core import calendar
from lpse.core.access import require, role_required

from . import ics, scheduling, selectors, services
from .choices import Audience, RequestStatus
from .forms import DayExceptionForm, ResourceForm
from .models import DayException, TrainingResource

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _month(text: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


@role_required(*selectors.LIST_ROLES)
def month_calendar(request):
    """The month's trainings in a week grid, with holidays and the SOP timetable (TRN-4)."""
    year, month = _month(request.GET.get("bulan"))
    start, end = selectors.month_bounds(year, month)
    by_day: dict[date, list] = {}
    for session in selectors.sessions_between(start, end):
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    exceptions = set(
        DayException.objects.filter(date__gte=start.date(), date__lt=end.date()).values_list(
            "date", flat=True
        )
    )
    weeks = []
    with calendar.one_reading():
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    {
                        "date": day,
                        "in_month": day.month == month,
                        "holiday": calendar.holiday_name(day) if day.month == month else None,
                        "exception": day in exceptions,
                        "sessions": by_day.get(day, []),
                    }
                    for day in week
                ]
            )
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    try:
        standard = scheduling.timetable()
        rules = [
            (Audience(rule.audience).label, scheduling.weekday_names(rule.weekdays), rule.hours)
            for rule in standard.rules
        ]
    except scheduling.ScheduleError as error:
        rules, messages_error = [], error.message
    else:
        messages_error = ""
    return render(
        request,
        "training/calendar.html",
        {
            "weeks": weeks,
            "title": f"{MONTHS[month - 1]} {year}",
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "rules": rules,
            "rules_error": messages_error,
            "cancelled": RequestStatus.CANCELLED,
            "today": timezone.localdate(),
        },
    )


@role_required(Role.TRAINER)
def my_feed(request):
    """The trainer's own calendar address; shown once when (re)made."""
    token = None
    if request.method == "POST":
        token = services.renew_trainer_feed(by=request.user, request=request)
    url = request.build_absolute_uri(reverse("training:ics", args=[token])) if token else None
    sessions = selectors.feed_sessions(request.user, timezone.now()).filter(
        ends_at__gte=timezone.now()
    )
    return render(
        request,
        "training/feed.html",
        {
            "url": url,
            "has_feed": hasattr(request.user, "training_feed"),
            "sessions": sessions,
        },
    )


def ics_feed(request, token: str):
    """The trainer's sessions as iCalendar; the secret token is the only credential."""
    trainer = selectors.trainer_for_token(services.feed_token_hash(token))
    if trainer is None:
        raise Http404
    now = timezone.now()
    body = ics.feed(trainer, selectors.feed_sessions(trainer, now), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pelatihan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required(Role.HEAD, Role.HELPDESK)
def day_exceptions(request):
    """Other days the head sets for agency admin/PPK/committee training (audited)."""
    form = DayExceptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user.has_role(Role.HEAD) or request.user.is_superuser)
        if form.is_valid():
            try:
                services.set_day_exception(
                    day=form.cleaned_data["date"],
                    audience=form.cleaned_data["audience"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    request=request,
                )
            except services.TrainingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, gettext("Hari pelatihan khusus ditetapkan."))
                return redirect("training:exceptions")
        status = 400
    rows = DayException.objects.select_related("set_by").order_by("-date")[:100]
    return render(
        request,
        "training/exceptions.html",
        {"form": form, "rows": rows, "is_head": request.user.has_role(Role.HEAD)},
        status=status,
    )


@role_required(*selectors.RESOURCE_ROLES)
def resources(request):
    form = ResourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_resource(**form.cleaned_data, by=request.user, request=request)
            except services.TrainingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, gettext("Sarana pelatihan ditambahkan."))
                return redirect("training:resources")
        status = 400
    return render(
        request,
        "training/resources.html",
        {"form": form, "rows": TrainingResource.objects.all()},
        status=status,
    )


@require_POST
@role_required(*selectors.RESOURCE_ROLES)
def resource_toggle(request, pk: int):
    resource = TrainingResource.objects.filter(pk=pk).first()
    if resource is None:
        raise Http404
    services.set_resource_active(resource, not resource.is_active, by=request.user, request=request)
    messages.success(request, gettext("Status sarana diubah."))
    return redirect("training:resources")
