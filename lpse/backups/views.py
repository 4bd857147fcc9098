"""The backup console for the system administrator (BAK-1..BAK-3): the register,
the age of the last verified backup, verification and medium moves."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.core.access import role_required

from . import selectors, services, tasks
from .choices import RunStatus
from .forms import MoveForm
from .models import Medium, MediumMove


@role_required(*selectors.CONSOLE_ROLES)
def run_list(request):
    page = Paginator(selectors.runs(), 50).get_page(request.GET.get("page"))
    media = Medium.objects.prefetch_related(
        Prefetch("moves", queryset=MediumMove.objects.order_by("-moved_at", "-pk"))
    )
    return render(
        request,
        "backups/list.html",
        {"page": page, "media": media, "health": selectors.health()},
    )


@role_required(*selectors.CONSOLE_ROLES)
def run_detail(request, pk: int):
    run = selectors.get_run_for_user(request.user, pk)
    return render(
        request,
        "backups/detail.html",
        {
            "run": run,
            "transitions": run.transitions.select_related("by"),
            "verifications": run.verifications.select_related("by"),
            "can_verify": run.status == RunStatus.COMPLETE,
        },
    )


@require_POST
@role_required(*selectors.CONSOLE_ROLES)
def run_verify(request, pk: int):
    run = selectors.get_run_for_user(request.user, pk)
    if run.status != RunStatus.COMPLETE:
        messages.error(request, gettext("Hanya cadangan yang selesai yang dapat diperiksa."))
    else:
        tasks.verify_run(run.pk, request.user.pk)
        messages.success(
            request,
            gettext("Pemeriksaan cadangan %(id)s dijalankan; hasilnya tampil di halaman ini.")
            % {"id": run.backup_id},
        )
    return redirect("backups:detail", pk=run.pk)


@role_required(*selectors.CONSOLE_ROLES)
def medium_detail(request, pk: int):
    medium = selectors.get_medium_for_user(request.user, pk)
    initial = {
        "moved_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "moved_by_name": request.user.get_full_name() or request.user.get_username(),
    }
    form = MoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_move(
            medium,
            to_location=data["to_location"],
            moved_by_name=data["moved_by_name"],
            moved_at=data["moved_at"],
            note=data["note"],
            by=request.user,
        )
        messages.success(request, gettext("Perpindahan media dicatat."))
        return redirect("backups:medium", pk=medium.pk)
    return render(
        request,
        "backups/medium.html",
        {
            "medium": medium,
            "form": form,
            "moves": medium.moves.select_related("recorded_by"),
            "runs": medium.runs.order_by("-started_at")[:50],
        },
        status=400 if request.method == "POST" else 200,
    )
