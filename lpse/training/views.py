"""Pages of training requests: file, confirm, schedule, letters, outcome (TRN-1..TRN-4)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lpse.core.access import require, role_required
from lpse.reports import exports
from lpse.sop.selectors import runs_of
from lpse.vendors.uploads import (
    UploadRejected,
    limit_request_uploads,
    stored_path,
    too_large_rejection,
)

from . import letters, scheduling, selectors, services
from .choices import LetterKind, RequestStatus
from .exports import TRAININGS
from .forms import (
    CancelForm,
    ConfirmForm,
    OutcomeForm,
    RequestFilterForm,
    RequestForm,
    ScheduleForm,
)


@role_required(*selectors.LIST_ROLES)
def request_list(request):
    form = RequestFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.request_list(request.user, filters)
    download = exports.download(request, form, TRAININGS, queryset, filters)
    if download is not None:
        return download
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/list.html",
        {
            "page": page,
            "form": form,
            "page_query": exports.page_query(request),
            "can_file": request.user.has_role(*selectors.FILING_ROLES)
            and request.user.work_unit_id,
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt  # checked by csrf_protect below, after the size limit is installed
@role_required(*selectors.FILING_ROLES)
def request_new(request):
    if request.method == "POST":
        limit_request_uploads(request)
    return _request_new(request)


@csrf_protect
def _request_new(request):
    form = RequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        stopped = too_large_rejection(request)
        if stopped:
            form.is_valid()
            form.errors["letter_file"] = form.error_class([stopped.message])
        elif form.is_valid():
            data = form.cleaned_data
            try:
                training = services.file_request(
                    work_unit=request.user.work_unit,
                    audience=data["audience"],
                    letter_number=data["letter_number"],
                    letter_date=data["letter_date"],
                    letter_text=data["letter_text"],
                    letter_file=data["letter_file"],
                    wanted_date=data["wanted_date"],
                    wanted_date_alt=data["wanted_date_alt"],
                    participant_count=data["participant_count"],
                    participant_names=form.names(),
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    by=request.user,
                    request=request,
                )
            except services.TrainingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except UploadRejected as rejected:
                form.add_error("letter_file", rejected.message)
            else:
                messages.success(
                    request,
                    gettext(
                        "Permohonan pelatihan tercatat. Helpdesk LPSE akan menelepon narahubung "
                        "untuk menyepakati tanggal."
                    ),
                )
                return redirect("training:detail", pk=training.pk)
        status = 400
    return render(
        request,
        "training/new.html",
        {"form": form, "work_unit": request.user.work_unit},
        status=status,
    )


def _detail(request, training, *, status: int = 200, **forms):
    can_work = selectors.can_work(request.user)
    session = getattr(training, "session", None)
    context = {
        "training": training,
        "session": session,
        "participants": list(training.participants.all()),
        "transitions": list(training.transitions.select_related("by")),
        "letters": {letter.kind: letter for letter in training.letters.all()},
        "case": training.sop_case,
        "can_work": can_work,
        "can_outcome": selectors.can_record_outcome(request.user, training),
    }
    context["runs"] = runs_of(context["case"]) if context["case"] else []
    if can_work and training.status == RequestStatus.SUBMITTED:
        try:
            context["wanted_problems"] = [
                problem
                for day in (training.wanted_date, training.wanted_date_alt)
                if day and (problem := scheduling.day_problem(training.audience, day))
            ]
        except scheduling.ScheduleError as error:
            context["wanted_problems"] = [error.message]
        context["confirm_form"] = forms.get("confirm_form") or ConfirmForm(
            initial={"agreed_date": training.wanted_date, "call_minutes": 3}
        )
    if can_work and training.status == RequestStatus.CONFIRMED:
        context["schedule_form"], context["proposals"] = _schedule_context(
            training, forms.get("schedule_form")
        )
    if context["can_outcome"] and training.status == RequestStatus.ASSIGNED:
        context["outcome_form"] = forms.get("outcome_form") or OutcomeForm(
            participants=context["participants"]
        )
    if can_work and training.status in {*RequestStatus.values} - {
        RequestStatus.HELD,
        RequestStatus.NOT_HELD,
        RequestStatus.CANCELLED,
    }:
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
    return render(request, "training/detail.html", context, status=status)


def _schedule_context(training, form):
    start = max(training.agreed_date or training.wanted_date, timezone.localdate() + timedelta(1))
    try:
        proposals = scheduling.propose_slots(training.audience, start=start, count=5)
        opens, closes = scheduling.window(training.audience, start)
    except scheduling.ScheduleError as error:
        return form or ScheduleForm(), {"error": error.message}
    if form is None:
        first = proposals[0] if proposals else None
        form = ScheduleForm(
            initial={
                "date": first.day if first else start,
                "starts_at": opens.time(),
                "ends_at": closes.time(),
                "room": first.room.pk if first else None,
                "server": first.server.pk if first else None,
                "trainer": first.trainer.pk if first else None,
            }
        )
    return form, {"slots": proposals}


@role_required(*selectors.LIST_ROLES)
def request_detail(request, pk: int):
    return _detail(request, selectors.get_request_for_user(request.user, pk))


@require_POST
@role_required(*selectors.DESK_ROLES)
def request_confirm(request, pk: int):
    training = selectors.get_request_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_by_phone(
                training,
                by=request.user,
                call_minutes=form.cleaned_data["call_minutes"],
                agreed_date=form.cleaned_data["agreed_date"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.TrainingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, gettext("Konfirmasi telepon tercatat; jadwalkan pelatihan."))
            return redirect("training:detail", pk=training.pk)
    return _detail(request, training, confirm_form=form, status=400)


@require_POST
@role_required(*selectors.DESK_ROLES)
def request_schedule(request, pk: int):
    training = selectors.get_request_for_user(request.user, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        starts_at, ends_at = form.moments()
        try:
            services.schedule_session(
                training,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                room=form.cleaned_data["room"],
                server=form.cleaned_data["server"],
                trainer=form.cleaned_data["trainer"],
                request=request,
            )
        except services.TrainingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, gettext("Pelatihan terjadwal; buat surat jawaban."))
            return redirect("training:detail", pk=training.pk)
    return _detail(request, training, schedule_form=form, status=400)


@require_POST
@role_required(*selectors.DESK_ROLES)
def letter_issue(request, pk: int, kind: str):
    training = selectors.get_request_for_user(request.user, pk)
    require(kind in LetterKind.values)
    try:
        letter = services.issue_letter(training, kind, by=request.user, request=request)
    except services.TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("%(letter)s dibuat; periksa lalu kirim.") % {"letter": letter}
        )
    return redirect("training:detail", pk=training.pk)


@require_POST
@role_required(*selectors.DESK_ROLES)
def letter_send(request, pk: int):
    letter = selectors.get_letter_for_user(request.user, pk)
    try:
        services.send_letter(letter, by=request.user, request=request)
    except services.TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("%(letter)s dikirim ke %(to)s.") % {"letter": letter, "to": letter.recipient},
        )
    return redirect("training:detail", pk=letter.request_id)


@role_required(*selectors.LIST_ROLES)
def letter_download(request, pk: int):
    letter = selectors.get_letter_for_user(request.user, pk)
    path = letters.path_of(letter.stored_name)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=letter.file_name,
        content_type="application/pdf",
    )


@role_required(*selectors.LIST_ROLES)
def request_letter_download(request, pk: int):
    """The work unit's own uploaded request letter (attachment only, type from its content)."""
    training = selectors.get_request_for_user(request.user, pk)
    if not training.letter_stored_name:
        raise Http404
    path = stored_path(training.letter_stored_name)
    if not path.exists():
        raise Http404
    extension = training.letter_stored_name.rsplit(".", 1)[-1]
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"surat-permohonan-{training.pk}.{extension}",
        content_type=training.letter_mime,
    )


@require_POST
@role_required(*selectors.LIST_ROLES)
def request_outcome(request, pk: int):
    training = selectors.get_request_for_user(request.user, pk)
    require(selectors.can_record_outcome(request.user, training))
    form = OutcomeForm(request.POST, participants=list(training.participants.all()))
    if form.is_valid():
        try:
            services.record_outcome(
                training,
                by=request.user,
                held=form.cleaned_data["held"],
                attended_ids=form.attended_ids(),
                attended_count=form.cleaned_data["attended_count"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.TrainingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, gettext("Kehadiran dan hasil pelatihan tercatat."))
            return redirect("training:detail", pk=training.pk)
    return _detail(request, training, outcome_form=form, status=400)


@require_POST
@role_required(*selectors.DESK_ROLES)
def request_cancel(request, pk: int):
    training = selectors.get_request_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_request(
                training, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except services.TrainingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Permohonan dibatalkan; jadwalnya dilepas."))
            return redirect("training:detail", pk=training.pk)
    return _detail(request, training, cancel_form=form, status=400)
