"""Vendor pages of a tender: join, documents, clarification questions, objections (BID-1,
BID-6). Only verified, activated vendors join; the rest is for participants."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.core.access import role_required
from lpse.vendors.uploads import stored_path

from . import participation, selectors, services
from .choices import StageKind
from .forms import JoinForm, TextForm


def _participant_or_403(tender, user):
    participant = selectors.participant_for(tender, user)
    if participant is None:
        raise PermissionDenied
    return participant


@role_required(Role.VENDOR)
def my_tenders(request):
    participations = list(selectors.vendor_participations(request.user)[:200])
    return render(
        request,
        "tenders/vendor/my_tenders.html",
        {"participations": participations, "now": timezone.now()},
    )


@role_required(Role.VENDOR)
def join(request, code):
    """The integrity pact and the join button (verified vendors only)."""
    tender = selectors.get_tender_for_user(request.user, code)
    vendor = selectors.vendor_of(request.user)
    participant = selectors.participant_for(tender, request.user)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and participant is None and form.is_valid():
        try:
            participation.join_tender(
                tender,
                vendor,
                accept_pact=form.cleaned_data["accept_pact"],
                by=request.user,
                request=request,
            )
        except services.TenderError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                gettext("Perusahaan Anda terdaftar sebagai peserta tender %(code)s.")
                % {"code": tender.code},
            )
            return redirect("tenders:questions", code=code)
    now = timezone.now()
    status = 400 if form.errors else 200
    return render(
        request,
        "tenders/vendor/join.html",
        {
            "tender": tender,
            "vendor": vendor,
            "participant": participant,
            "form": form,
            "now": now,
            "stages": [(stage, stage.state(now)) for stage in tender.stage_list()],
            "documents": selectors.documents_of(tender) if participant else [],
            "pact_version": settings.LPSE_INTEGRITY_PACT_VERSION,
            "changes": selectors.schedule_history(tender, applied_only=True),
            "public_history": True,
        },
        status=status,
    )


def document_download(request, code, pk):
    """Always an attachment, never a public media URL (SEC-3)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    document = selectors.get_document_for_user(request.user, code, pk)
    path = stored_path(document.stored_name)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        Path(path).open("rb"),  # noqa: SIM115 - FileResponse closes it after sending
        as_attachment=True,
        filename=document.original_name,
        content_type=document.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.VENDOR)
def questions(request, code):
    """Clarification (aanwijzing): participants ask during its stage and read every answer."""
    tender = selectors.get_tender_for_user(request.user, code)
    participant = _participant_or_403(tender, request.user)
    form = TextForm(request.POST or None)
    form.fields["text"].label = gettext("Pertanyaan")
    if request.method == "POST" and form.is_valid():
        try:
            participation.ask_question(
                participant, form.cleaned_data["text"], by=request.user, request=request
            )
        except services.TenderError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, gettext("Pertanyaan terkirim ke Pokja."))
            return redirect("tenders:questions", code=code)
    now = timezone.now()
    status = 400 if form.errors else 200
    return render(
        request,
        "tenders/vendor/questions.html",
        {
            "tender": tender,
            "participant": participant,
            "form": form,
            "questions": selectors.questions_of(tender),
            "documents": selectors.documents_of(tender),
            "can_ask": tender.is_in_stage(StageKind.CLARIFICATION, now),
            "clarification": tender.stage(StageKind.CLARIFICATION),
            "now": now,
        },
        status=status,
    )


@role_required(Role.VENDOR)
def objections(request, code):
    """Objection (sanggah) during its stage; the vendor reads the committee's answer."""
    tender = selectors.get_tender_for_user(request.user, code)
    participant = _participant_or_403(tender, request.user)
    form = TextForm(request.POST or None)
    form.fields["text"].label = gettext("Isi sanggahan")
    if request.method == "POST" and form.is_valid():
        try:
            participation.file_objection(
                participant, form.cleaned_data["text"], by=request.user, request=request
            )
        except services.TenderError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, gettext("Sanggahan terkirim ke Pokja."))
            return redirect("tenders:objections", code=code)
    now = timezone.now()
    status = 400 if form.errors else 200
    participants = selectors.participants_of(tender)
    return render(
        request,
        "tenders/vendor/objections.html",
        {
            "tender": tender,
            "participant": participant,
            "form": form,
            "objections": selectors.objections_of(tender, participant=participant),
            "can_object": tender.is_in_stage(StageKind.OBJECTION, now)
            and any(p.is_winner for p in participants),
            "objection_stage": tender.stage(StageKind.OBJECTION),
            "winner": next((p for p in participants if p.is_winner), None),
            "own": participant,
        },
        status=status,
    )
