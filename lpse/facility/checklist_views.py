"""The Lampiran V maintenance checklist (MNT-1) and data-centre inspections (INF-2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lpse.accounts.choices import Role
from lpse.core.access import role_required

from . import checklist_services, inspection_services, selectors
from .forms import InspectionForm, TickForm
from .models import Inspection, MaintenanceCycle


@role_required(*selectors.CHECKLIST_ROLES)
def checklist(request):
    cycles = list(MaintenanceCycle.objects.all()[:26])
    cycle = None
    wanted = request.GET.get("siklus")
    if wanted and wanted.isdigit():
        cycle = next((c for c in cycles if c.pk == int(wanted)), None)
        if cycle is None:
            cycle = get_object_or_404(MaintenanceCycle, pk=int(wanted))
    elif cycles:
        cycle = cycles[0]
    items = list(cycle.items.select_related("done_by").order_by("step__number")) if cycle else []
    mine_only = request.GET.get("saya") == "1"
    if mine_only:
        items = [item for item in items if selectors.can_tick(request.user, item)]
    for item in items:
        item.can_tick = item.status == "open" and selectors.can_tick(request.user, item)
    return render(
        request,
        "facility/checklist.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "items": items,
            "mine_only": mine_only,
            "today": timezone.localdate(),
            "form": TickForm(),
            "can_create": request.user.has_role(Role.SYSADMIN) or request.user.is_superuser,
        },
    )


@role_required(*selectors.CHECKLIST_ROLES)
@require_POST
def item_tick(request, pk: int):
    item = selectors.get_item_for_user(request.user, pk)
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan temuan pemeriksaan."))
    else:
        try:
            checklist_services.tick_item(
                item,
                findings=form.cleaned_data["findings"],
                follow_up=form.cleaned_data["follow_up"],
                by=request.user,
                request=request,
            )
        except checklist_services.ChecklistError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Butir %(label)s tercatat.") % {"label": item.label})
    return redirect(f"{reverse('facility:checklist')}?siklus={item.cycle_id}#butir-{item.pk}")


@role_required(Role.SYSADMIN)
@require_POST
def cycle_new(request):
    cycle, created = checklist_services.create_cycle(by=request.user)
    if created:
        messages.success(request, _("Siklus pemeliharaan baru dibuat."))
    else:
        messages.info(request, _("Siklus pemeliharaan periode ini sudah ada."))
    return redirect(f"{reverse('facility:checklist')}?siklus={cycle.pk}")


@role_required(*selectors.FACILITY_VIEW_ROLES)
def inspections(request):
    return render(
        request,
        "facility/inspections.html",
        {"states": inspection_services.item_states()},
    )


@role_required(*selectors.FACILITY_VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def inspection_item(request, code: str):
    item = inspection_services.item_by_code(code)
    if item is None:
        raise Http404
    form = InspectionForm(request.POST or None)
    can_record = request.user.has_role(*selectors.FACILITY_ROLES) or request.user.is_superuser
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            try:
                inspection_services.record_inspection(
                    code=code,
                    condition_ok=form.cleaned_data["condition_ok"],
                    findings=form.cleaned_data["findings"],
                    follow_up=form.cleaned_data["follow_up"],
                    by=request.user,
                    request=request,
                )
            except inspection_services.InspectionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Pemeriksaan tercatat."))
                return redirect("facility:inspection_item", code=code)
        status = 400
    return render(
        request,
        "facility/inspection_item.html",
        {
            "item": item,
            "form": form,
            "can_record": can_record,
            "history": Inspection.objects.filter(item_code=code).select_related("inspected_by")[
                :100
            ],
        },
        status=status,
    )
