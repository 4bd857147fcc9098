"""Committee pages of sealed bids (BID-4): the tender key, the bids received, the opening
and its results; the opened plaintext is downloadable by the tender's Pokja only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.core.access import role_required
from lpse.tenders.choices import StageKind
from lpse.tenders.selectors import committee_tenders, get_tender_for_committee, members_of

from . import key_services, opening, selectors, storage
from .errors import BidError
from .forms import KeyCeremonyForm, OfflineCertificateForm, OpeningForm
from .models import KeyShare


def failed_opening_url(tender) -> str:
    """The failed-opening procedure page (ERR-1) when it is installed, else ""."""
    try:
        return reverse("bids:failed_opening_new", kwargs={"code": tender.code})
    except NoReverseMatch:
        return ""


@role_required(Role.COMMITTEE)
def committee_list(request):
    tenders = list(committee_tenders(request.user)[:200])
    return render(request, "bids/committee/list.html", {"tenders": tenders})


@role_required(Role.COMMITTEE)
def manage(request, code):
    tender = get_tender_for_committee(request.user, code)
    latest = selectors.latest_opening(tender)
    results = selectors.results_of(latest) if latest else []
    now = timezone.now()
    opening_stage = tender.stage(StageKind.BID_OPENING)
    return render(
        request,
        "bids/committee/manage.html",
        {
            "tender": tender,
            "tender_key": selectors.key_of(tender),
            "bids": selectors.bids_of_tender_for_committee(request.user, tender),
            "opening": latest,
            "results": results,
            "any_failed": any(r.failed for r in results),
            "failed_url": failed_opening_url(tender),
            "can_open": bool(opening_stage and now >= opening_stage.starts_at and latest is None),
            "upload_stage": tender.stage(StageKind.BID_UPLOAD),
            "opening_stage": opening_stage,
            "history": selectors.history_of(tender),
            "now": now,
        },
    )


@role_required(Role.COMMITTEE)
def key_create(request, code):
    tender = get_tender_for_committee(request.user, code)
    if selectors.key_of(tender) is not None:
        return redirect("bids:manage", code=code)
    members = members_of(tender)
    default_mb = settings.LPSE_BID_MAX_MB
    form = KeyCeremonyForm(
        request.POST if request.POST.get("mode") == "server" else None,
        members=members,
        default_max_mb=default_mb,
    )
    offline = OfflineCertificateForm(
        request.POST if request.POST.get("mode") == "offline" else None,
        request.FILES or None,
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("mode") == "offline" and offline.is_valid():
                data = offline.cleaned_data["certificate"].read(64 * 1024)
                key_services.upload_offline_certificate(
                    tender,
                    data,
                    max_bid_mb=offline.cleaned_data["max_bid_mb"] or 0,
                    by=request.user,
                    request=request,
                )
                messages.success(request, gettext("Sertifikat tender disimpan."))
                return redirect("bids:manage", code=code)
            if request.POST.get("mode") == "server" and form.is_valid():
                max_mb = form.cleaned_data["max_bid_mb"] or 0
                key_services.create_server_key(
                    tender,
                    threshold=form.cleaned_data["threshold"],
                    passphrases=form.passphrases(),
                    max_bid_mb=0 if max_mb == default_mb else max_mb,
                    by=request.user,
                    request=request,
                )
                messages.success(
                    request,
                    gettext(
                        "Kunci tender dibuat. Setiap anggota Pokja wajib mengingat frasa sandinya: "
                        "tanpa minimal k frasa sandi penawaran tidak dapat dibuka."
                    ),
                )
                return redirect("bids:manage", code=code)
        except BidError as error:
            target = offline if request.POST.get("mode") == "offline" else form
            target.add_error(error.field if error.field in target.fields else None, error.message)
        status = 400
    return render(
        request,
        "bids/committee/key.html",
        {"tender": tender, "form": form, "offline": offline, "members": members},
        status=status,
    )


@role_required(Role.COMMITTEE)
def open_view(request, code):
    tender = get_tender_for_committee(request.user, code)
    tender_key = selectors.key_of(tender)
    if tender_key is None:
        raise Http404
    shares = list(KeyShare.objects.filter(key=tender_key).select_related("member"))
    form = OpeningForm(request.POST or None, request.FILES or None, shares=shares)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            key_file = form.cleaned_data.get("key_file")
            try:
                result = opening.open_bids(
                    tender,
                    passphrases=form.passphrases(),
                    key_file=key_file.read(1024 * 1024) if key_file else None,
                    key_password=form.cleaned_data.get("key_password") or "",
                    by=request.user,
                    request=request,
                )
            except BidError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Pembukaan selesai: %(ok)d dibuka, %(failed)d gagal.")
                    % {"ok": result.opened_count, "failed": result.failed_count},
                )
                return redirect("bids:manage", code=code)
        status = 400
    return render(
        request,
        "bids/committee/open.html",
        {"tender": tender, "tender_key": tender_key, "form": form, "shares": shares},
        status=status,
    )


@role_required(Role.COMMITTEE)
def opened_download(request, code, pk):
    """The opened plaintext of one bid: members of this tender's Pokja only (404 otherwise)."""
    result = selectors.get_result_for_committee(request.user, code, pk)
    if not result.plain_name:
        raise Http404
    path = storage.path_of(result.plain_name)
    if not path.is_file():
        raise Http404
    vendor = result.bid.participant.vendor
    extension = path.suffix
    name = f"penawaran-{code}-{vendor.pk}-{result.bid_id}{extension}"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)
