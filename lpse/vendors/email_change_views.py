"""Pages of the e-mail change procedure (ERR-2, SOP 3.3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lpse.accounts.choices import Role
from lpse.core.access import require, role_required, user_has_any_role
from lpse.reports import exports

from . import company_selectors as selectors
from . import email_change_services as services
from .company import CompanySection
from .company_forms import EmailChangeFilterForm, EmailChangeRequestForm, EmailChangeReviewForm
from .company_services import record_stopped_upload
from .company_views import _own_vendor
from .exports import EMAIL_CHANGES
from .uploads import UploadRejected, limit_request_uploads, too_large_rejection

LIST_ROLES = (*selectors.EMAIL_CHANGE_LIST_ROLES, Role.VERIFIER, Role.SYSADMIN)


@csrf_exempt  # checked by csrf_protect below, after the size limit is installed
@role_required(Role.VENDOR)
def email_change_request(request):
    if request.method == "POST":
        limit_request_uploads(request)
    return _email_change_request(request)


@csrf_protect
def _email_change_request(request):
    vendor = _own_vendor(request)
    form = EmailChangeRequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        stopped = too_large_rejection(request)
        if stopped:
            form.is_valid()
            record_stopped_upload(
                vendor,
                CompanySection.EMAIL_CHANGE,
                vendor.pk,
                stopped,
                by=request.user,
                request=request,
            )
            form.errors["letter"] = form.error_class([stopped.message])
        elif form.is_valid():
            try:
                services.request_change(
                    vendor,
                    form.cleaned_data["new_email"],
                    form.cleaned_data["letter"],
                    by=request.user,
                    request=request,
                )
            except services.EmailChangeError as error:
                form.add_error(error.field, error.message)
            except UploadRejected as rejected:
                form.add_error("letter", rejected.message)
            else:
                messages.success(
                    request,
                    gettext(
                        "Permohonan tercatat. Datanglah ke meja verifikasi LPSE dengan akta "
                        "perusahaan dan KTP asli direktur."
                    ),
                )
                return redirect("vendors:email_change_request")
        status = 400
    own = selectors.email_changes().filter(vendor=vendor)[:20]
    return render(
        request,
        "vendors/email_change/request.html",
        {"form": form, "vendor": vendor, "changes": own},
        status=status,
    )


@role_required(*LIST_ROLES)
def email_changes(request):
    """Every e-mail change, for the agency admin's record (SOP 3.3 recording duty)."""
    form = EmailChangeFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    changes = selectors.email_change_list(request.user, filters)
    download = exports.download(request, form, EMAIL_CHANGES, changes, filters)
    if download is not None:
        return download
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "vendors/email_change/list.html",
        {
            "page": page,
            "form": form,
            "page_query": exports.page_query(request),
            "can_review": user_has_any_role(request.user, selectors.EMAIL_CHANGE_REVIEW_ROLES),
            "can_apply": user_has_any_role(request.user, selectors.EMAIL_CHANGE_APPLY_ROLES),
        },
        status=400 if form.errors else 200,
    )


@role_required(*selectors.EMAIL_CHANGE_REVIEW_ROLES)
def email_change_review(request, pk):
    change = selectors.get_email_change_for_user(request.user, pk)
    form = EmailChangeReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.review_change(
                change,
                by=request.user,
                confirm=request.POST.get("action") == "confirm",
                deed_seen=form.cleaned_data["deed_seen"],
                director_ktp_seen=form.cleaned_data["director_ktp_seen"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.EmailChangeError as error:
            form.add_error(error.field, error.message)
            status = 400
        else:
            messages.success(request, gettext("Hasil pemeriksaan tersimpan."))
            return redirect("vendors:email_changes")
    return render(
        request,
        "vendors/email_change/review.html",
        {"change": change, "form": form},
        status=status,
    )


@role_required(*selectors.EMAIL_CHANGE_APPLY_ROLES)
def email_change_apply(request, pk):
    change = selectors.get_email_change_for_user(request.user, pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        require(action in {"receive", "apply", "refuse"})
        try:
            if action == "refuse":
                services.refuse_by_admin(
                    change, by=request.user, reason=request.POST.get("reason", ""), request=request
                )
                messages.success(request, gettext("Permohonan ditolak; penyedia diberi tahu."))
                return redirect("vendors:email_changes")
            if action == "receive":
                services.receive_change(change, by=request.user, request=request)
                messages.success(request, gettext("Surat pernyataan diterima."))
                return redirect("vendors:email_change_apply", pk=change.pk)
            services.apply_change(change, by=request.user, request=request)
        except services.EmailChangeError as refused:
            error = refused.message
        else:
            messages.success(request, gettext("Alamat e-mail perusahaan sudah diubah."))
            return redirect("vendors:email_changes")
    return render(
        request,
        "vendors/email_change/apply.html",
        {"change": change, "error": error},
        status=400 if error else 200,
    )
