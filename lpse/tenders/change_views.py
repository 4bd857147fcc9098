"""Schedule change pages (ERR-3, SOP 3.5): the committee files from the tender page with the
schedule pre-filled; the head of LPSE or an application administrator decides."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.core.access import role_required
from lpse.reports import exports

from . import changes, selectors, services
from . import schedule as rules
from .choices import ScheduleChangeStatus, TenderStatus
from .exports import SCHEDULE_CHANGES
from .forms import ChangeFilterForm, DecisionForm, ScheduleChangeForm

DECIDERS = (Role.HEAD, Role.APPADMIN)


@role_required(Role.COMMITTEE)
def change_request(request, code):
    """Before (the current schedule, read-only) and after (pre-filled, editable) + reason."""
    tender = selectors.get_tender_for_committee(request.user, code)
    if tender.status != TenderStatus.ANNOUNCED:
        messages.error(
            request, gettext("Jadwal hanya dapat diubah pada tender yang sedang berjalan.")
        )
        return redirect("tenders:manage", code=code)
    current = rules.rows_of(tender.stages.all())
    form = ScheduleChangeForm(request.POST or None, initial_rows=current)
    if request.method == "POST" and form.is_valid():
        try:
            change = changes.request_change(
                tender,
                form.rows(),
                form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except services.ScheduleInvalid as invalid:
            form.add_problems(invalid.problems)
        except services.TenderError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "Permohonan perubahan jadwal #%(pk)s diajukan ke Kepala LPSE/Administrator "
                    "Aplikasi. Jadwal belum berubah sampai disetujui."
                )
                % {"pk": change.pk},
            )
            return redirect("tenders:manage", code=code)
    now = timezone.now()
    status = 400 if form.errors else 200
    return render(
        request,
        "tenders/changes/request.html",
        {
            "tender": tender,
            "form": form,
            "rows": [
                (label, start, end, stage, stage.state(now))
                for (label, start, end), stage in zip(
                    form.stage_fields(), tender.stage_list(), strict=True
                )
            ],
            "min_upload_days": rules.min_upload_days(),
        },
        status=status,
    )


@require_POST
@role_required(Role.COMMITTEE)
def change_withdraw(request, pk):
    change = selectors.get_change_for_user(request.user, pk)
    try:
        changes.withdraw_change(change, by=request.user, request=request)
    except services.TenderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Permohonan perubahan jadwal ditarik."))
    return redirect("tenders:manage", code=change.tender.code)


@role_required(*DECIDERS)
def change_queue(request):
    form = ChangeFilterForm(request.GET)
    filters = form.criteria()
    changes_found = selectors.change_list(request.user, filters)
    download = exports.download(request, form, SCHEDULE_CHANGES, changes_found, filters)
    if download is not None:
        return download
    page = Paginator(changes_found, 25).get_page(request.GET.get("halaman"))
    return render(
        request,
        "tenders/changes/queue.html",
        {"page": page, "form": form, "page_query": exports.page_query(request)},
        status=400 if form.errors else 200,
    )


@role_required(Role.COMMITTEE, *DECIDERS)
def change_detail(request, pk):
    """Before/after side by side; deciders receive, approve (apply) or refuse."""
    change = selectors.get_change_for_user(request.user, pk)
    form = DecisionForm(request.POST or None)
    can_decide = changes.can_decide(request.user)
    if request.method == "POST":
        if not can_decide:
            messages.error(
                request,
                gettext("Hanya Kepala LPSE atau Administrator Aplikasi yang memutuskan."),
            )
            return redirect("tenders:change_detail", pk=pk)
        action = request.POST.get("action")
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if action == "receive":
                    changes.receive_change(change, by=request.user, request=request)
                    messages.success(request, gettext("Permohonan diterima untuk diproses."))
                elif action == "approve":
                    result = changes.approve_change(
                        change, by=request.user, note=note, request=request
                    )
                    if result.status == ScheduleChangeStatus.APPROVED:
                        messages.success(
                            request,
                            gettext("Jadwal baru diterapkan; peserta diberi tahu lewat e-mail."),
                        )
                    else:
                        messages.error(
                            request,
                            gettext("Permohonan ditolak oleh sistem: %(note)s")
                            % {"note": result.decision_note},
                        )
                elif action == "refuse":
                    changes.refuse_change(change, note, by=request.user, request=request)
                    messages.success(request, gettext("Permohonan ditolak; jadwal tidak berubah."))
                else:
                    messages.error(request, gettext("Tindakan tidak dikenal."))
            except services.TenderError as error:
                messages.error(request, error.message)
            return redirect("tenders:change_detail", pk=pk)
    change = selectors.get_change_for_user(request.user, pk)
    return render(
        request,
        "tenders/changes/detail.html",
        {
            "change": change,
            "tender": change.tender,
            "rows": changes.diff_rows(change),
            "form": form,
            "can_decide": can_decide,
            "case": change.sop_case,
        },
    )
