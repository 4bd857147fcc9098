"""Pages of the company data (REG-7) and the protected document download (SEC-3)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from lpse.accounts.choices import Role
from lpse.core.access import role_required, user_has_any_role

from . import company_selectors as selectors
from . import company_services as services
from .company_forms import UploadForm, record_form_class
from .models import Vendor
from .uploads import UploadRejected, limit_request_uploads, stored_path, too_large_rejection


def _own_vendor(request):
    vendor = selectors.vendor_of(request.user)
    if vendor is None:
        raise Http404
    return vendor


@role_required(Role.VENDOR)
def company(request):
    vendor = _own_vendor(request)
    return render(
        request,
        "vendors/company/overview.html",
        {
            "vendor": vendor,
            "sections": selectors.company_overview(vendor),
            "locked_message": None
            if vendor.can_edit_company_data
            else services.CompanyDataLocked().message,
        },
    )


@role_required(*selectors.DOCUMENT_STAFF)
def company_of(request, pk):
    """A vendor's company data and documents, read-only, for LPSE staff (REG-7)."""
    vendor = get_object_or_404(Vendor, pk=pk)
    return render(
        request,
        "vendors/company/overview.html",
        {
            "vendor": vendor,
            "sections": selectors.company_overview(vendor),
            "read_only": True,
        },
    )


def _locked(request, vendor):
    if vendor.can_edit_company_data:
        return None
    messages.error(request, services.CompanyDataLocked().message)
    return redirect("vendors:company")


@role_required(Role.VENDOR)
def record_add(request, section):
    vendor = _own_vendor(request)
    spec = selectors.section_spec(section)
    if response := _locked(request, vendor):
        return response
    form_class = record_form_class(section)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.vendor = vendor
        services.save_record(obj, by=request.user, request=request)
        messages.success(request, gettext("Data tersimpan. Unggah dokumennya di bawah ini."))
        return redirect("vendors:company_edit", section=section, pk=obj.pk)
    return render(
        request, "vendors/company/record_form.html", {"spec": spec, "form": form, "obj": None}
    )


@role_required(Role.VENDOR)
def record_edit(request, section, pk):
    vendor = _own_vendor(request)
    spec = selectors.section_spec(section)
    obj = selectors.get_record_for_user(section, request.user, pk)
    if response := _locked(request, vendor):
        return response
    form = record_form_class(section)(request.POST or None, instance=obj)
    upload_form = UploadForm()
    if request.method == "POST" and form.is_valid():
        services.save_record(form.instance, by=request.user, request=request)
        messages.success(request, gettext("Perubahan tersimpan."))
        return redirect("vendors:company")
    return _edit_page(request, spec, obj, form, upload_form)


def _edit_page(request, spec, obj, form, upload_form, status=200):
    versions = selectors.documents_by_record(obj.vendor, spec.code).get(obj.pk, [])
    return render(
        request,
        "vendors/company/record_form.html",
        {"spec": spec, "form": form, "obj": obj, "upload_form": upload_form, "versions": versions},
        status=status,
    )


@csrf_exempt  # checked by csrf_protect below, after the size limit is installed
@role_required(Role.VENDOR)
@require_POST
def record_upload(request, section, pk):
    limit_request_uploads(request)
    return _record_upload(request, section, pk)


@csrf_protect
def _record_upload(request, section, pk):
    vendor = _own_vendor(request)
    spec = selectors.section_spec(section)
    obj = selectors.get_record_for_user(section, request.user, pk)
    if response := _locked(request, vendor):
        return response
    upload_form = UploadForm(request.POST, request.FILES)
    stopped = too_large_rejection(request)
    if stopped:
        upload_form.is_valid()
        services.record_stopped_upload(
            vendor, section, obj.pk, stopped, by=request.user, request=request
        )
        upload_form.errors["document"] = upload_form.error_class([stopped.message])
    elif upload_form.is_valid():
        try:
            document = services.upload_document(
                vendor,
                section,
                obj.pk,
                upload_form.cleaned_data["document"],
                by=request.user,
                request=request,
            )
        except UploadRejected as rejected:
            upload_form.add_error("document", rejected.message)
        else:
            messages.success(
                request,
                gettext("Dokumen versi %(version)d tersimpan.") % {"version": document.version},
            )
            return redirect("vendors:company_edit", section=section, pk=obj.pk)
    form = record_form_class(section)(instance=obj)
    return _edit_page(request, spec, obj, form, upload_form, status=400)


@role_required(Role.VENDOR)
def record_delete(request, section, pk):
    vendor = _own_vendor(request)
    spec = selectors.section_spec(section)
    obj = selectors.get_record_for_user(section, request.user, pk)
    if response := _locked(request, vendor):
        return response
    if request.method == "POST":
        services.delete_record(obj, by=request.user, request=request)
        messages.success(request, gettext("Data dihapus."))
        return redirect("vendors:company")
    return render(request, "vendors/company/record_delete.html", {"spec": spec, "obj": obj})


@role_required(Role.VENDOR, *selectors.DOCUMENT_STAFF)
def document_download(request, pk):
    """Always an attachment, never inline, never a public media URL (SEC-3)."""
    document = selectors.get_document_for_user(request.user, pk)
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


@role_required(Role.VENDOR, *selectors.DIAGNOSTICS_STAFF)
def upload_attempts(request):
    """Upload diagnostics: a vendor its own, helpdesk/appadmin/head everyone's (REG-7, ERR-4)."""
    staff = user_has_any_role(request.user, selectors.DIAGNOSTICS_STAFF)
    query = ""
    if staff:
        attempts = selectors.upload_attempts()
        query = request.GET.get("q", "").strip()
        if query:
            attempts = attempts.filter(vendor__name__icontains=query)
    else:
        attempts = selectors.upload_attempts(_own_vendor(request))
    page = Paginator(attempts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "vendors/company/upload_attempts.html",
        {"page": page, "staff": staff, "query": query},
    )
