"""Vendor pages of sealed bids (BID-2): upload (browser sealing or pre-sealed, resumable),
receipts (page, PDF, JSON, signature), the tender and CA certificates."""

from __future__ import annotations

from cryptography import x509
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.api import services as api_services
from lpse.core.access import role_required
from lpse.tenders.choices import StageKind
from lpse.tenders.selectors import get_tender_for_user, participant_for, vendor_participations

from . import receipts, selectors
from .choices import BidSource
from .errors import BidError
from .forms import TokenForm
from .sealing import SealingUploadHandler
from .submission import check_can_submit, submit_bid

#: Multipart overhead allowed above the bid limit in Content-Length (boundaries, headers).
MULTIPART_SLACK = 1024 * 1024


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@role_required(Role.VENDOR)
def my_bids(request):
    participations = list(vendor_participations(request.user)[:200])
    current = {bid.participant_id: bid for bid in selectors.submitted_bids_of_vendor(request.user)}
    rows = [(p, current.get(p.pk)) for p in participations]
    return render(request, "bids/vendor/list.html", {"rows": rows})


@role_required(Role.VENDOR)
def bid_page(request, code):
    tender = get_tender_for_user(request.user, code)
    participant = participant_for(tender, request.user)
    if participant is None:
        raise Http404
    tender_key = selectors.key_of(tender)
    now = timezone.now()
    try:
        check_can_submit(tender, request.user, now)
        refusal = ""
    except BidError as error:
        refusal = error.message
    return render(
        request,
        "bids/vendor/bid.html",
        {
            "tender": tender,
            "participant": participant,
            "tender_key": tender_key,
            "upload_stage": tender.stage(StageKind.BID_UPLOAD),
            "refusal": refusal,
            "bids": selectors.bids_of_participant(participant),
            "now": now,
            "max_mb": tender_key.max_bytes // (1024 * 1024) if tender_key else 0,
        },
    )


@csrf_exempt
@role_required(Role.VENDOR)
@require_POST
def upload(request, code):
    """Browser upload: the files are sealed by `SealingUploadHandler` while they stream in."""
    tender = get_tender_for_user(request.user, code)
    try:
        participant, tender_key = check_can_submit(tender, request.user)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > tender_key.max_bytes + MULTIPART_SLACK:
            raise BidError(
                gettext("Berkas melebihi batas %(mb)d MB untuk tender ini.")
                % {"mb": tender_key.max_bytes // (1024 * 1024)},
                status=413,
            )
    except BidError as error:
        return _refuse(request, code, error)
    certificate = x509.load_pem_x509_certificate(tender_key.certificate_pem.encode("ascii"))
    handler = SealingUploadHandler(request, certificate=certificate, max_bytes=tender_key.max_bytes)
    request.upload_handlers = [handler]
    try:
        return _upload_sealed(request, code, participant, handler)
    finally:
        handler.discard()  # no-op once the file was placed into sealed/


@csrf_protect
def _upload_sealed(request, code, participant, handler):
    request.POST  # noqa: B018 - parse the body now: this streams and seals the files
    if handler.too_big:
        return _refuse(
            request,
            code,
            BidError(gettext("Berkas melebihi batas ukuran penawaran tender ini."), status=413),
        )
    if handler.result is None:
        return _refuse(
            request, code, BidError(gettext("Pilih minimal satu berkas penawaran."), status=400)
        )
    names = ", ".join(item["name"] for item in handler.files)
    try:
        bid = submit_bid(
            participant,
            temp_path=handler.temp_path,
            sealed=handler.result.sealed,
            plain=handler.result.plain,
            source=BidSource.BROWSER,
            files=handler.files,
            original_name=names,
            by=request.user,
            request=request,
        )
    except BidError as error:
        return _refuse(request, code, error)
    handler.temp_path = None  # placed: nothing left to discard
    if _wants_json(request):
        return JsonResponse(
            {
                "bid": bid.pk,
                "receipt": bid.receipt_number,
                "receipt_url": _receipt_url(bid),
                "sealed_sha256": bid.sealed_sha256,
            },
            status=201,
        )
    messages.success(request, gettext("Penawaran diterima. Simpan tanda terima ini."))
    return redirect("bids:receipt", pk=bid.pk)


def _receipt_url(bid) -> str:
    from django.urls import reverse

    return reverse("bids:receipt", kwargs={"pk": bid.pk})


def _refuse(request, code, error: BidError):
    if _wants_json(request):
        return JsonResponse({"error": error.message}, status=error.status)
    messages.error(request, error.message)
    response = redirect("bids:bid_page", code=code)
    return response


@role_required(Role.VENDOR)
def receipt(request, pk):
    bid = selectors.get_own_bid(request.user, pk)
    return render(
        request,
        "bids/vendor/receipt.html",
        {"bid": bid, "receipt": receipts.receipt_of(bid), "tender": bid.tender},
    )


@role_required(Role.VENDOR)
def receipt_pdf(request, pk):
    bid = selectors.get_own_bid(request.user, pk)
    response = HttpResponse(receipts.receipt_pdf(bid), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{bid.receipt_number}.pdf"'
    return response


@role_required(Role.VENDOR)
def receipt_json(request, pk):
    bid = selectors.get_own_bid(request.user, pk)
    response = HttpResponse(bid.receipt_json.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{bid.receipt_number}.json"'
    return response


@role_required(Role.VENDOR)
def receipt_signature(request, pk):
    bid = selectors.get_own_bid(request.user, pk)
    response = HttpResponse(
        bytes(bid.receipt_signature), content_type="application/pkcs7-signature"
    )
    response["Content-Disposition"] = f'attachment; filename="{bid.receipt_number}.p7s"'
    return response


def tender_certificate(request, code):
    """The tender's certificate (public information: anyone who may see the tender)."""
    tender = get_tender_for_user(request.user, code)
    tender_key = selectors.key_of(tender)
    if tender_key is None:
        raise Http404
    response = HttpResponse(
        tender_key.certificate_pem.encode(), content_type="application/x-pem-file"
    )
    response["Content-Disposition"] = f'attachment; filename="tender-{tender.code}.crt"'
    return response


def ca_certificate(request):
    from .authority import get_authority

    response = HttpResponse(
        get_authority().certificate_pem(), content_type="application/x-pem-file"
    )
    response["Content-Disposition"] = 'attachment; filename="lpse-ca.crt"'
    return response


@role_required(Role.VENDOR)
def tokens(request):
    """API tokens for lpse-seal and scripts: upload bids and read receipts (GEN-3, BID-2)."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            row = selectors.active_upload_token_of(request.user, request.POST.get("revoke"))
            if row is not None:
                api_services.revoke_token(row, by=request.user, request=request)
                messages.success(request, gettext("Token dicabut."))
            return redirect("bids:tokens")
        if form.is_valid():
            try:
                _row, new_token = api_services.issue_token(
                    request.user,
                    name=form.cleaned_data["label"] or "lpse-seal",
                    scopes=list(selectors.UPLOAD_TOKEN_SCOPES),
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
    rows = selectors.upload_tokens_of(request.user)
    return render(
        request,
        "bids/vendor/tokens.html",
        {"form": form, "rows": rows, "new_token": new_token, "now": timezone.now()},
    )
