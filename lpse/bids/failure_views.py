"""Pages of the failed-opening procedure (ERR-1, SOP 3.1): the committee files from the
opening page, LPSE staff diagnose, try and witness, the report is downloaded, LKPP is asked."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.core.access import require, role_required
from lpse.sop.selectors import runs_of
from lpse.tenders.selectors import get_tender_for_committee

from . import failure_escalation as escalation
from . import failure_selectors as selectors
from . import failure_services as services
from . import witness_report
from .failure_choices import FileOutcome, RequestStatus
from .failure_forms import (
    AnswerForm,
    AttemptForm,
    EscalationForm,
    RequestForm,
    UploadFormSet,
    WitnessForm,
    has_files,
)

VIEWERS = (Role.COMMITTEE, *services.READER_ROLES)


def key_shares(tender) -> list:
    """The committee members' key shares (server-generated key), for passphrase fields."""
    from .models import KeyShare

    return list(
        KeyShare.objects.filter(key__tender=tender).select_related("member").order_by("position")
    )


def attempt_prefix(file_pk: int) -> str:
    return f"berkas{file_pk}"


def _form_error(form, error: services.FailureError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _file(request, tender, form, uploads):
    """File the request from valid forms; None (with the error on the form) when refused."""
    if not has_files(form, uploads):
        form.add_error(None, gettext("Pilih penawaran yang gagal dibuka atau unggah berkasnya."))
        return None
    data = form.cleaned_data
    files = [
        services.UploadedBidFile(
            file=row["upload"],
            vendor_name=row["vendor_name"],
            expected_md5=row["expected_md5"],
            expected_sha256=row["expected_sha256"],
            expected_size=row["expected_size"],
            signature=row["signature"].read() if row["signature"] else b"",
        )
        for row in uploads.uploads()
    ]
    try:
        return services.file_request(
            tender,
            by=request.user,
            channel=data["channel"],
            letter_reference=data["letter_reference"],
            letter_date=data["letter_date"],
            description=data["description"],
            results=list(data["results"]),
            uploads=files,
            request=request,
        )
    except services.FailureError as error:
        _form_error(form, error)
        return None


@role_required(Role.COMMITTEE)
def failed_opening_new(request, code):
    """SOP 3.1 step 1: the committee's request to the head of LPSE."""
    tender = get_tender_for_committee(request.user, code)
    results = selectors.failed_results(tender)
    # From the opening page: the bid named in ?result=, else every failed bid pre-selected.
    initial = {"results": [result.pk for result in results]}
    if request.GET.get("result", "").isdigit():
        initial["results"] = [int(request.GET["result"])]
    form = RequestForm(request.POST or None, results=results, initial=initial)
    uploads = UploadFormSet(request.POST or None, request.FILES or None, prefix="berkas")
    if request.method == "POST" and form.is_valid() and uploads.is_valid():
        filed = _file(request, tender, form, uploads)
        if filed is not None:
            messages.success(
                request,
                gettext(
                    "Permohonan %(reference)s diajukan ke Kepala LPSE; diagnosis otomatis "
                    "setiap berkas tersedia di bawah."
                )
                % {"reference": filed.reference},
            )
            return redirect("bids:failed_opening_detail", pk=filed.pk)
    return render(
        request,
        "bids/failures/new.html",
        {"tender": tender, "form": form, "uploads": uploads, "results": results},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*VIEWERS)
def failed_openings(request):
    """The requests the user may see (staff: all; committee: their tenders')."""
    queryset = selectors.request_queue(request.user)
    tender_code = request.GET.get("tender", "").strip()
    if tender_code:
        queryset = queryset.filter(tender__code=tender_code)
    return render(
        request,
        "bids/failures/list.html",
        {"requests": list(queryset[:200]), "tender_code": tender_code},
    )


def _detail_context(request, filed, **forms):
    user = request.user
    is_staff = services.is_staff(user)
    files = selectors.files_of(filed)
    report = selectors.report_of(filed)
    case = filed.sop_case
    bound = forms.get("attempt_form")
    shares = key_shares(filed.tender)
    for file in files:
        if bound is not None and forms.get("attempt_file") == file.pk:
            file.attempt_form = bound
        else:
            file.attempt_form = AttemptForm(prefix=attempt_prefix(file.pk), shares=shares)
    context = {
        "filed": filed,
        "tender": filed.tender,
        "files": files,
        "report": report,
        "case": case,
        "runs": runs_of(case) if case else [],
        "transitions": selectors.transitions_of(filed),
        "is_staff": is_staff,
        "is_committee": services.is_committee_of(filed.tender, user),
        "handling": filed.status == RequestStatus.HANDLING,
        "handled": filed.status == RequestStatus.HANDLED,
        "unresolved": [file for file in files if file.outcome == FileOutcome.FAILED],
        "witness_form": forms.get("witness_form")
        or WitnessForm(candidates=escalation.witness_candidates(filed)),
        "escalation_form": forms.get("escalation_form")
        or EscalationForm(initial={"lkpp_email": settings.LPSE_LKPP_EMAIL}),
        "answer_form": forms.get("answer_form")
        or AnswerForm(initial={"lkpp_reference": filed.lkpp_reference}),
    }
    return context


@role_required(*VIEWERS)
def failed_opening_detail(request, pk):
    filed = selectors.get_request_for_user(request.user, pk)
    return render(request, "bids/failures/detail.html", _detail_context(request, filed))


def _staff_request(request, pk):
    filed = selectors.get_request_for_user(request.user, pk)
    require(services.is_staff(request.user))
    return filed


def _rerender(request, filed, **forms):
    return render(
        request, "bids/failures/detail.html", _detail_context(request, filed, **forms), status=400
    )


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_start(request, pk):
    filed = _staff_request(request, pk)
    try:
        services.start_handling(filed, by=request.user, request=request)
    except services.FailureError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Penanganan dimulai (SOP 3.1 langkah 2)."))
    return redirect("bids:failed_opening_detail", pk=filed.pk)


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_attempt(request, pk, file_pk):
    filed = _staff_request(request, pk)
    file = selectors.get_file_for_user(request.user, filed.pk, file_pk)
    form = AttemptForm(
        request.POST,
        request.FILES,
        prefix=attempt_prefix(file.pk),
        shares=key_shares(filed.tender),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            attempt = services.record_attempt(
                file,
                by=request.user,
                outcome=data["outcome"],
                notes=data["notes"],
                key_pem=data["key_file"].read() if data["key_file"] else b"",
                key_passphrase=data["key_passphrase"],
                passphrases=form.passphrases(),
                plain_file=data["plain_file"],
                request=request,
            )
        except services.FailureError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                gettext("Percobaan pada %(name)s dicatat: %(outcome)s.")
                % {"name": file.original_name, "outcome": attempt.get_outcome_display()},
            )
            return redirect("bids:failed_opening_detail", pk=filed.pk)
    filed.refresh_from_db()
    return _rerender(request, filed, attempt_form=form, attempt_file=file.pk)


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_finish(request, pk):
    filed = _staff_request(request, pk)
    try:
        services.finish_handling(filed, by=request.user, request=request)
    except services.FailureError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Penanganan berkas selesai."))
    return redirect("bids:failed_opening_detail", pk=filed.pk)


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_report(request, pk):
    filed = _staff_request(request, pk)
    form = WitnessForm(request.POST, candidates=escalation.witness_candidates(filed))
    if form.is_valid():
        try:
            report = escalation.issue_report(
                filed,
                by=request.user,
                witnesses=form.cleaned_data["witnesses"],
                other_witnesses=form.cleaned_data["other_witnesses"],
                request=request,
            )
        except services.FailureError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                gettext("Berita acara kesaksian %(number)s dibuat dan ditandatangani.")
                % {"number": report.number},
            )
            return redirect("bids:failed_opening_detail", pk=filed.pk)
    return _rerender(request, filed, witness_form=form)


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_escalate(request, pk):
    filed = _staff_request(request, pk)
    form = EscalationForm(request.POST)
    if form.is_valid():
        try:
            escalation.escalate(
                filed,
                by=request.user,
                lkpp_email=form.cleaned_data["lkpp_email"],
                lkpp_reference=form.cleaned_data["lkpp_reference"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.FailureError as error:
            _form_error(form, error)
        else:
            messages.success(request, gettext("Berkas dan berita acara dikirim ke LKPP."))
            return redirect("bids:failed_opening_detail", pk=filed.pk)
    return _rerender(request, filed, escalation_form=form)


@require_POST
@role_required(*services.STAFF_ROLES)
def failed_opening_answer(request, pk):
    filed = _staff_request(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            escalation.record_lkpp_answer(
                filed,
                by=request.user,
                answer=form.cleaned_data["answer"],
                result=form.cleaned_data["result"],
                lkpp_reference=form.cleaned_data["lkpp_reference"],
                request=request,
            )
        except services.FailureError as error:
            _form_error(form, error)
        else:
            messages.success(request, gettext("Jawaban LKPP dicatat; permohonan selesai."))
            return redirect("bids:failed_opening_detail", pk=filed.pk)
    return _rerender(request, filed, answer_form=form)


@role_required(*VIEWERS)
def witness_report_download(request, pk):
    report = selectors.get_report_for_user(request.user, pk)
    path = witness_report.path_of(report.stored_name)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type="application/pdf",
    )


@role_required(Role.COMMITTEE)
def failed_opening_plain(request, pk, file_pk):
    """The plaintext of a file the LPSE opened: the tender's committee only."""
    file = selectors.get_plain_for_committee(request.user, pk, file_pk)
    path = services.bids_root() / file.plain_name
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"penawaran-{file.request.reference}-{file.pk}.bin",
        content_type="application/octet-stream",
    )
