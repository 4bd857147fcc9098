"""Committee (Pokja) pages: create, edit, schedule, documents, announce and run a tender
(BID-1, BID-6). Thin: check the form, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.accounts.models import User
from lpse.core.access import role_required
from lpse.reports import exports
from lpse.vendors.uploads import UploadRejected, limit_request_uploads, too_large_rejection

from . import participation, selectors, services
from . import schedule as rules
from .choices import DocumentKind, StageKind, TenderStatus
from .exports import COMMITTEE_TENDERS
from .forms import (
    AnswerForm,
    CommitteeFilterForm,
    DocumentForm,
    EvaluationForm,
    MemberForm,
    ReasonForm,
    ScheduleForm,
    TenderCreateForm,
    TenderForm,
)
from .models import Objection, Participant, Question

COMMITTEE = (Role.COMMITTEE,)


def _manage(code: str):
    from django.urls import reverse

    return reverse("tenders:manage", args=[code])


def _run(request, action, *args, success: str, **kwargs) -> bool:
    """Call a service; a refusal becomes an error message. True when it went through."""
    try:
        action(*args, by=request.user, request=request, **kwargs)
    except services.TenderError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@role_required(*COMMITTEE)
def committee_list(request):
    form = CommitteeFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    tenders = selectors.committee_tenders(request.user, filters)
    download = exports.download(request, form, COMMITTEE_TENDERS, tenders, filters)
    if download is not None:
        return download
    page = Paginator(tenders, 25).get_page(request.GET.get("halaman"))
    return render(
        request,
        "tenders/committee/list.html",
        {
            "page": page,
            "now": timezone.now(),
            "form": form,
            "page_query": exports.page_query(request),
        },
        status=400 if form.errors else 200,
    )


@role_required(*COMMITTEE)
def tender_create(request):
    form = TenderCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.create_tender(
                form.cleaned_data,
                by=request.user,
                accept_pact=form.cleaned_data["accept_pact"],
                request=request,
            )
        except services.TenderError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, gettext("Tender draf dibuat. Lengkapi jadwal dan dokumen."))
            return redirect("tenders:schedule", code=tender.code)
    status = 400 if form.errors else 200
    return render(
        request,
        "tenders/committee/form.html",
        {"form": form, "pact_version": settings.LPSE_INTEGRITY_PACT_VERSION},
        status=status,
    )


@role_required(*COMMITTEE)
def tender_edit(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    form = TenderForm(request.POST or None, instance=tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tender(tender, form.cleaned_data, by=request.user, request=request)
        except services.TenderError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, gettext("Data tender disimpan."))
            return redirect("tenders:manage", code=code)
    status = 400 if form.errors else 200
    return render(
        request, "tenders/committee/form.html", {"form": form, "tender": tender}, status=status
    )


@role_required(*COMMITTEE)
def schedule_edit(request, code):
    """The draft's schedule, entered in WIB; rules checked on save (BID-1)."""
    tender = selectors.get_tender_for_committee(request.user, code)
    if tender.status != TenderStatus.DRAFT:
        messages.info(
            request,
            gettext("Jadwal tender yang sudah diumumkan diubah melalui permohonan perubahan."),
        )
        return redirect("tenders:change_request", code=code)
    form = ScheduleForm(request.POST or None, initial_rows=rules.rows_of(tender.stages.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(tender, form.rows(), by=request.user, request=request)
        except services.ScheduleInvalid as invalid:
            form.add_problems(invalid.problems)
        except services.TenderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Jadwal disimpan."))
            return redirect("tenders:manage", code=code)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "tender": tender,
        "min_upload_days": rules.min_upload_days(),
    }
    return render(request, "tenders/committee/schedule.html", context, status=status)


@role_required(*COMMITTEE)
def tender_manage(request, code):
    """The committee's page of one tender: everything to run it, and its history."""
    tender = selectors.get_tender_for_committee(request.user, code)
    now = timezone.now()
    participants = selectors.participants_of(tender)
    context_members = selectors.members_of(tender)
    context = {
        "tender": tender,
        "now": now,
        "stages": [(stage, stage.state(now)) for stage in tender.stage_list()],
        "current": tender.current_stage(now),
        "documents": selectors.documents_of(tender),
        "members": context_members,
        "participants": participants,
        "questions": selectors.questions_of(tender),
        "objections": selectors.objections_of(tender),
        "changes": selectors.schedule_history(tender),
        "document_form": DocumentForm(
            initial={
                "kind": DocumentKind.TENDER_DOCUMENT
                if tender.status == TenderStatus.DRAFT
                else DocumentKind.ADDENDUM
            }
        ),
        "member_form": MemberForm(),
        "reason_form": ReasonForm(),
        "answer_form": AnswerForm(),
        "in_evaluation": tender.stage(StageKind.EVALUATION) is not None
        and tender.stage(StageKind.EVALUATION).starts_at <= now,
        "in_winner_stage": tender.is_in_stage(StageKind.WINNER_ANNOUNCEMENT, now),
        "has_winner": any(p.is_winner for p in participants),
        "pact_pending": services.pact_pending(tender),
        "my_pact_pending": any(
            m.user_id == request.user.pk and m.pact_accepted_at is None for m in context_members
        ),
    }
    return render(request, "tenders/committee/manage.html", context)


@csrf_exempt  # checked by csrf_protect below, after the size limit is installed
@role_required(*COMMITTEE)
def document_upload(request, code):
    if request.method == "POST":
        limit_request_uploads(request)
    return _document_upload(request, code)


@csrf_protect
@require_POST
def _document_upload(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    stopped = too_large_rejection(request)
    if stopped:
        messages.error(request, stopped.message)
        return redirect("tenders:manage", code=code)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tenders:manage", code=code)
    try:
        services.upload_document(
            tender,
            form.cleaned_data["document"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            by=request.user,
            request=request,
        )
    except UploadRejected as rejected:
        messages.error(request, rejected.message)
    except services.TenderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Dokumen diunggah."))
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def member_add(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    form = MemberForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.add_member,
            tender,
            form.cleaned_data["user"],
            success=gettext("Anggota Pokja ditambahkan."),
        )
    else:
        messages.error(request, gettext("Pilih pengguna dengan peran Pokja."))
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def member_remove(request, code, user_id):
    tender = selectors.get_tender_for_committee(request.user, code)
    user = get_object_or_404(User, pk=user_id)
    _run(
        request,
        services.remove_member,
        tender,
        user,
        success=gettext("Anggota Pokja dikeluarkan."),
    )
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def announce(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    _run(request, services.announce_tender, tender, success=gettext("Tender diumumkan."))
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def cancel(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Alasan pembatalan wajib diisi."))
    else:
        _run(
            request,
            services.cancel_tender,
            tender,
            form.cleaned_data["reason"],
            success=gettext("Tender dibatalkan."),
        )
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def close(request, code):
    tender = selectors.get_tender_for_committee(request.user, code)
    _run(request, services.close_tender, tender, success=gettext("Tender ditutup (selesai)."))
    return redirect("tenders:manage", code=code)


@require_POST
@role_required(*COMMITTEE)
def question_answer(request, code, pk):
    tender = selectors.get_tender_for_committee(request.user, code)
    question = get_object_or_404(Question, tender=tender, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Jawaban wajib diisi."))
    else:
        _run(
            request,
            participation.answer_question,
            question,
            form.cleaned_data["answer"],
            success=gettext("Jawaban disimpan dan dapat dibaca peserta."),
        )
    return redirect(_manage(code) + "#pertanyaan")


@require_POST
@role_required(*COMMITTEE)
def objection_answer(request, code, pk):
    tender = selectors.get_tender_for_committee(request.user, code)
    objection = get_object_or_404(Objection, tender=tender, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Jawaban sanggahan wajib diisi."))
    else:
        _run(
            request,
            participation.answer_objection,
            objection,
            form.cleaned_data["answer"],
            success=gettext("Jawaban sanggahan disimpan dan dikirim ke penyanggah."),
        )
    return redirect(_manage(code) + "#sanggah")


@role_required(*COMMITTEE)
def evaluate(request, code, pk):
    """Record one participant's evaluation: outcome and reasons (BID-6)."""
    tender = selectors.get_tender_for_committee(request.user, code)
    participant = get_object_or_404(
        Participant.objects.select_related("vendor"), tender=tender, pk=pk
    )
    form = EvaluationForm(request.POST or None, initial=EvaluationForm.initial_for(participant))
    if request.method == "POST" and form.is_valid():
        try:
            participation.record_evaluation(
                participant, **form.values(), by=request.user, request=request
            )
        except services.TenderError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                gettext("Evaluasi %(vendor)s dicatat.") % {"vendor": participant.vendor.name},
            )
            return redirect(_manage(code) + "#peserta")
    status = 400 if form.errors else 200
    return render(
        request,
        "tenders/committee/evaluate.html",
        {"tender": tender, "participant": participant, "form": form},
        status=status,
    )


@require_POST
@role_required(*COMMITTEE)
def winner(request, code, pk):
    tender = selectors.get_tender_for_committee(request.user, code)
    participant = get_object_or_404(Participant, tender=tender, pk=pk)
    _run(
        request,
        participation.announce_winner,
        participant,
        success=gettext("Pemenang diumumkan; peserta diberi tahu lewat e-mail."),
    )
    return redirect(_manage(code) + "#peserta")


@role_required(Role.COMMITTEE, Role.PPK)
def pact(request, code):
    """The integrity pact of one tender for its Pokja members and its PPK (BID-1)."""
    tender = selectors.get_tender_for_user(request.user, code)
    member = tender.members.filter(user=request.user).first()
    if member is None and tender.ppk_id != request.user.pk:
        raise Http404
    accepted_at = member.pact_accepted_at if member else tender.ppk_pact_accepted_at
    if request.method == "POST" and accepted_at is None:
        if request.POST.get("accept") != "on":
            messages.error(request, gettext("Centang persetujuan Pakta Integritas."))
        elif _run(
            request,
            services.accept_pact,
            tender,
            success=gettext("Pakta Integritas disetujui dan dicatat."),
        ):
            return redirect("tenders:pact", code=code)
    return render(
        request,
        "tenders/committee/pact.html",
        {
            "tender": tender,
            "accepted_at": accepted_at,
            "version": (member.pact_version if member else tender.ppk_pact_version)
            or settings.LPSE_INTEGRITY_PACT_VERSION,
            "is_ppk": member is None,
        },
    )


@role_required(Role.COMMITTEE, Role.PPK)
def pact_list(request):
    """Tenders where the user is a Pokja member or the PPK, with the pact status."""
    return render(
        request,
        "tenders/committee/pact_list.html",
        {"rows": selectors.pact_rows(request.user)},
    )
