"""Pages of registration (REG-1..3), the verification desk (REG-4, REG-6) and activation (REG-5)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lpse.accounts.choices import Role
from lpse.core import calendar
from lpse.core.access import role_required
from lpse.reports import exports

from . import pdf, selectors, services
from .choices import VendorStatus
from .exports import VENDORS
from .forms import (
    ActivationForm,
    ChecklistItemForm,
    EmailForm,
    RegistrationForm,
    VendorFilterForm,
    VerificationForm,
)
from .models import Vendor, VerificationChecklistItem

FORMS = {
    "pendaftaran": ("formulir-pendaftaran.pdf", pdf.registration_form, "LPSE/SOP-1.1/F-01"),
    "keikutsertaan": ("formulir-keikutsertaan.pdf", pdf.participation_form, "LPSE/SOP-1.1/F-02"),
}
SLIP_SESSION_KEY = "vendors_activation_slip"


def _apply_errors(form, error) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- REG-1 ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_confirmation(form.cleaned_data["email"], request=request)
        except services.RegistrationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request,
                "vendors/register_sent.html",
                {
                    "email": form.cleaned_data["email"].lower(),
                    "valid_hours": services.confirmation_hours(),
                    "forms": FORMS,
                },
            )
    return render(
        request,
        "vendors/register.html",
        {"form": form, "forms": FORMS, "valid_hours": services.confirmation_hours()},
    )


def form_pdf(request, kind: str):
    if kind not in FORMS:
        raise Http404
    filename, draw, number = FORMS[kind]
    response = HttpResponse(draw(number), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- REG-2 ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    try:
        confirmation = services.confirmation_for(token)
    except services.LinkProblem as problem:
        return render(
            request,
            "vendors/link_problem.html",
            {"reason": problem.reason, "form": EmailForm()},
            status=410 if problem.reason != "unknown" else 404,
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = services.register_vendor(token, form.cleaned_data, request=request)
        except services.LinkProblem as problem:
            return render(
                request,
                "vendors/link_problem.html",
                {"reason": problem.reason, "form": EmailForm()},
                status=410,
            )
        except services.RegistrationError as error:
            _apply_errors(form, error)
        else:
            return redirect("vendors:status_link", services.status_token(vendor))
    return render(
        request, "vendors/registration_form.html", {"form": form, "email": confirmation.email}
    )


# --- REG-3 ------------------------------------------------------------------------------


def _status_page(request, vendor: Vendor):
    context = services.requirements_context(vendor)
    context["now"] = timezone.now()
    return render(request, "vendors/status.html", context)


def status_link(request, token: str):
    vendor = services.vendor_from_status_token(token)
    if vendor is None:
        return render(request, "vendors/link_problem.html", {"reason": "status"}, status=404)
    return _status_page(request, vendor)


@login_required
def status(request):
    vendor = selectors.vendor_of(request.user)
    if vendor is None:
        raise Http404
    return _status_page(request, vendor)


# --- REG-5 ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request):
    initial = {"code": request.GET.get("kode", "")[:20]}
    form = ActivationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activate(
                form.cleaned_data["username"],
                form.cleaned_data["code"],
                form.cleaned_data["password1"],
                request=request,
            )
        except services.RegistrationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Akun aktif. Silakan masuk dengan User ID dan kata sandi baru Anda.")
            )
            return redirect("accounts:login")
    return render(request, "vendors/activate.html", {"form": form})


# --- REG-4, REG-6: the desk -------------------------------------------------------------------


@role_required(Role.VERIFIER, Role.HEAD)
def desk(request):
    form = VendorFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    vendors = selectors.desk_list(request.user, filters)
    download = exports.download(request, form, VENDORS, vendors, filters)
    if download is not None:
        return download
    query = filters.get("q", "")
    page = Paginator(vendors, 25).get_page(request.GET.get("page"))
    now = timezone.now()
    slip = request.session.get(SLIP_SESSION_KEY)
    return render(
        request,
        "vendors/desk.html",
        {
            "page": page,
            "query": query,
            "now": now,
            "desk_open": calendar.is_working_time(now, calendar.verification_hours()),
            "desk_hours": calendar.verification_hours(),
            "awaiting_activation": selectors.awaiting_activation(query),
            "slip_vendor": slip.get("vendor") if slip else None,
            "form": form,
            "page_query": exports.page_query(request),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.VERIFIER)
@require_http_methods(["GET", "POST"])
def desk_verify(request, pk: int):
    vendor = get_object_or_404(Vendor.objects.select_related("user"), pk=pk)
    if vendor.status != VendorStatus.PENDING_VERIFICATION:
        messages.info(
            request,
            _("%(vendor)s tidak lagi menunggu verifikasi (status: %(status)s).")
            % {"vendor": vendor.name, "status": vendor.get_status_display()},
        )
        return redirect("vendors:desk")
    try:
        verification = services.open_verification(vendor, by=request.user, request=request)
    except services.AlreadyDecided as error:
        messages.error(request, error.messages[0])
        return redirect("vendors:desk")
    items = selectors.active_checklist()
    form = VerificationForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checks = [
            services.CheckInput(item, bool(data[f"seen_{item.pk}"]), data[f"note_{item.pk}"])
            for item in items
        ]
        try:
            verification, raw_code = services.decide_verification(
                verification,
                outcome=data["outcome"],
                checks=checks,
                originals_seen=data["originals_seen"],
                reasons=data["reasons"],
                by=request.user,
                request=request,
            )
        except services.AlreadyDecided as error:
            messages.error(request, error.messages[0])
            return redirect("vendors:desk")
        except services.RegistrationError as error:
            _apply_errors(form, error)
        else:
            if raw_code:
                vendor.refresh_from_db()
                _keep_slip(request, vendor, raw_code)
            return redirect("vendors:desk_result", verification.pk)
    return render(
        request,
        "vendors/desk_verify.html",
        {
            "vendor": vendor,
            "verification": verification,
            "form": form,
            "business_fields": vendor.business_fields.select_related("parent"),
            "desk_hours": calendar.verification_hours(),
        },
    )


@role_required(Role.VERIFIER)
def desk_result(request, pk: int):
    from .models import Verification

    verification = get_object_or_404(
        Verification.objects.select_related("vendor"), pk=pk, verifier=request.user
    )
    slip = request.session.get(SLIP_SESSION_KEY)
    return render(
        request,
        "vendors/desk_result.html",
        {
            "verification": verification,
            "vendor": verification.vendor,
            "slip_ready": bool(slip and slip.get("vendor") == verification.vendor_id),
        },
    )


def _keep_slip(request, vendor: Vendor, raw_code: str) -> None:
    """The activation slip waits in the verifier's session for one download (REG-5)."""
    context = services.activation_context(vendor, raw_code)
    slip = pdf.activation_slip(
        vendor=vendor,
        code=context["code"],
        link=context["link"],
        expires_at=context["expires_at"],
        verifier=request.user,
    )
    request.session[SLIP_SESSION_KEY] = {
        "vendor": vendor.pk,
        "pdf": base64.b64encode(slip).decode(),
    }


@role_required(Role.VERIFIER)
@require_POST
def desk_reissue(request, pk: int):
    """A new activation code for a verified vendor that lost or let expire the first."""
    vendor = get_object_or_404(Vendor, pk=pk)
    try:
        raw_code = services.reissue_activation(vendor, by=request.user, request=request)
    except services.RegistrationError as error:
        messages.error(request, error.messages[0])
        return redirect(f"{reverse('vendors:desk')}?q={vendor.registration_number}")
    _keep_slip(request, vendor, raw_code)
    messages.success(
        request,
        _("Kode aktivasi baru dikirim ke e-mail %(email)s; kode lama tidak berlaku lagi.")
        % {"email": vendor.email},
    )
    return redirect(f"{reverse('vendors:desk')}?q={vendor.registration_number}")


@role_required(Role.VERIFIER)
def desk_slip(request):
    """Serve the activation slip once; the code is never rendered on the verifier's screen."""
    slip = request.session.pop(SLIP_SESSION_KEY, None)
    if not slip:
        messages.error(request, _("Slip aktivasi sudah dicetak atau tidak tersedia."))
        return redirect("vendors:desk")
    response = HttpResponse(base64.b64decode(slip["pdf"]), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="slip-aktivasi.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.HEAD)
@require_http_methods(["GET", "POST"])
def checklist(request, pk: int | None = None):
    item = get_object_or_404(VerificationChecklistItem, pk=pk) if pk else None
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_checklist_item(form.instance, by=request.user, request=request)
        messages.success(request, _("Daftar periksa verifikasi disimpan."))
        return redirect(reverse("vendors:checklist"))
    return render(
        request,
        "vendors/checklist.html",
        {"items": VerificationChecklistItem.objects.all(), "form": form, "item": item},
    )
