"""Staff side of a support access grant (ERR-4): the vendor's company data as the vendor
sees it, its upload diagnostics and, when allowed, upload tries. Every request is logged
as a SupportAction the vendor sees."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.core.access import role_required
from lpse.vendors import company_selectors
from lpse.vendors.company_services import CompanyDataLocked
from lpse.vendors.uploads import UploadRejected

from . import selectors, support_services
from .forms import SupportUploadForm
from .selectors import SUPPORT_STAFF
from .services import DeskError
from .uploads import limited_uploads, refuse_oversize


def _page(request, grant, form=None, status=200):
    return render(
        request,
        "desk/support.html",
        {
            "grant": grant,
            "vendor": grant.vendor,
            "sections": company_selectors.company_overview(grant.vendor),
            "attempts": list(company_selectors.upload_attempts(grant.vendor)[:20]),
            "form": form or SupportUploadForm(),
            "actions": list(grant.actions.select_related("actor")[:50]),
        },
        status=status,
    )


@role_required(*SUPPORT_STAFF)
def support(request, pk):
    grant = selectors.get_grant_for_staff(request.user, pk)
    support_services.log_action(
        grant,
        by=request.user,
        action="view",
        description=gettext("Melihat data perusahaan dan riwayat unggahan"),
        request=request,
    )
    return _page(request, grant)


@limited_uploads
@role_required(*SUPPORT_STAFF)
@require_POST
def support_upload(request, pk):
    grant = selectors.get_grant_for_staff(request.user, pk)
    form = SupportUploadForm(request.POST, request.FILES)
    if not refuse_oversize(request, form, "document") and form.is_valid():
        section = form.cleaned_data["section"]
        spec = company_selectors.section_spec(section)
        if not spec.model.objects.filter(
            vendor=grant.vendor, pk=form.cleaned_data["record_id"]
        ).exists():
            raise Http404
        try:
            document = support_services.try_upload(
                grant,
                section,
                form.cleaned_data["record_id"],
                form.cleaned_data["document"],
                by=request.user,
                request=request,
            )
        except (DeskError, UploadRejected) as error:
            form.add_error("document", error.message)
        except CompanyDataLocked as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Unggah percobaan berhasil: versi %(version)d tersimpan.")
                % {"version": document.version},
            )
            return redirect("desk:support", pk=grant.pk)
    return _page(request, grant, form=form, status=400)
