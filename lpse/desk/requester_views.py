"""The requester's pages: file a ticket, follow replies, rate the answer (DESK-2, DESK-4),
report an upload failure and grant support access (ERR-4)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from lpse.accounts.choices import Role
from lpse.core.access import role_required
from lpse.vendors.company_selectors import vendor_of
from lpse.vendors.uploads import UploadRejected

from . import selectors, services, support_services
from .choices import TicketKind
from .forms import GrantForm, RatingForm, RequesterMessageForm, TicketForm, UploadReportForm
from .models import Topic
from .support import SupportGrant
from .uploads import files_of, limited_uploads, refuse_oversize

UPLOAD_TOPIC = "Data penyedia dan unggah dokumen"


@login_required
def my_tickets(request):
    page = selectors.page_of(selectors.my_tickets(request.user), request.GET.get("page"))
    return render(request, "desk/my_tickets.html", {"page": page})


@limited_uploads
@login_required
@require_http_methods(["GET", "POST"])
def new_ticket(request):
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refuse_oversize(request, form) and form.is_valid():
        try:
            ticket = services.file_ticket(
                by=request.user,
                topic=form.cleaned_data["topic"],
                subject=form.cleaned_data["subject"],
                question=form.cleaned_data["question"],
                files=files_of(form),
                request=request,
            )
        except (services.DeskError, UploadRejected) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, gettext("Tiket %(ref)s terkirim ke helpdesk.") % {"ref": ticket.reference}
            )
            return redirect("desk:my_ticket", pk=ticket.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/new_ticket.html", {"form": form}, status=status)


def _own_ticket(request, pk):
    return selectors.get_own_ticket(request.user, pk)


def _my_ticket_page(request, ticket, message_form=None, rating_form=None, status=200):
    return render(
        request,
        "desk/my_ticket.html",
        {
            "ticket": ticket,
            "thread": selectors.messages_of(ticket, internal=False),
            "loose_attachments": selectors.loose_attachments(ticket, internal=False),
            "message_form": message_form or RequesterMessageForm(),
            "rating_form": rating_form or RatingForm(),
        },
        status=status,
    )


@login_required
def my_ticket(request, pk):
    return _my_ticket_page(request, _own_ticket(request, pk))


@limited_uploads
@login_required
@require_POST
def my_ticket_message(request, pk):
    ticket = _own_ticket(request, pk)
    form = RequesterMessageForm(request.POST, request.FILES)
    if not refuse_oversize(request, form) and form.is_valid():
        try:
            services.requester_message(
                ticket,
                form.cleaned_data["body"],
                by=request.user,
                files=files_of(form),
                request=request,
            )
        except (services.DeskError, UploadRejected) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Pesan terkirim ke helpdesk."))
            return redirect("desk:my_ticket", pk=ticket.pk)
    return _my_ticket_page(request, ticket, message_form=form, status=400)


@login_required
@require_POST
def my_ticket_rate(request, pk):
    ticket = _own_ticket(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                ticket,
                form.cleaned_data["rating"],
                form.cleaned_data["comment"],
                by=request.user,
                request=request,
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Terima kasih atas penilaian Anda."))
            return redirect("desk:my_ticket", pk=ticket.pk)
    return _my_ticket_page(request, ticket, rating_form=form, status=400)


@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    """DESK-4 for requesters without an account: the signed link in the reply e-mail."""
    ticket = services.ticket_from_rating_token(token)
    if ticket is None:
        return render(request, "desk/rate.html", {"invalid": True}, status=404)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(
                ticket, form.cleaned_data["rating"], form.cleaned_data["comment"], request=request
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "desk/rate.html", {"ticket": ticket, "done": True})
    return render(
        request,
        "desk/rate.html",
        {"ticket": ticket, "form": form},
        status=400 if form.errors else 200,
    )


# --- ERR-4: the vendor's side ----------------------------------------------------------------


def _vendor(request):
    vendor = vendor_of(request.user)
    if vendor is None:
        raise Http404
    return vendor


@limited_uploads
@role_required(Role.VENDOR)
@require_http_methods(["GET", "POST"])
def report_upload(request):
    """The vendor reports that its company-data upload fails (SOP 3.7 step 1, ERR-4)."""
    vendor = _vendor(request)
    form = UploadReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refuse_oversize(request, form) and form.is_valid():
        topic = Topic.objects.filter(name=UPLOAD_TOPIC).first() or selectors.active_topics().first()
        try:
            ticket = services.file_ticket(
                by=request.user,
                topic=topic,
                subject=gettext("Tidak bisa unggah data penyedia"),
                question=form.cleaned_data["question"],
                files=files_of(form),
                kind=TicketKind.UPLOAD,
                request=request,
            )
        except (services.DeskError, UploadRejected) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "Laporan %(ref)s terkirim. Helpdesk melihat riwayat unggahan Anda; "
                    "bila perlu, Anda dapat memberi akses dukungan sementara."
                )
                % {"ref": ticket.reference},
            )
            return redirect("desk:my_ticket", pk=ticket.pk)
    from lpse.vendors.company_selectors import upload_attempts

    return render(
        request,
        "desk/report_upload.html",
        {"form": form, "vendor": vendor, "attempts": list(upload_attempts(vendor)[:5])},
        status=400 if form.errors else 200,
    )


@role_required(Role.VENDOR)
@require_http_methods(["GET", "POST"])
def grants(request):
    """The vendor's support access: give, see what staff did, revoke (ERR-4)."""
    vendor = _vendor(request)
    form = GrantForm(
        request.POST or None,
        tickets=vendor.desk_tickets.exclude(status="closed"),
        max_hours=settings.LPSE_SUPPORT_GRANT_MAX_HOURS,
        default_hours=settings.LPSE_SUPPORT_GRANT_HOURS,
    )
    if request.method == "POST" and form.is_valid():
        try:
            support_services.grant_access(
                vendor,
                by=request.user,
                scope=form.cleaned_data["scope"],
                hours=form.cleaned_data["hours"],
                ticket=form.cleaned_data["ticket"],
                request=request,
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Akses dukungan diberikan."))
            return redirect("desk:grants")
    return render(
        request,
        "desk/grants.html",
        {"form": form, "grants": selectors.grants_of(vendor), "vendor": vendor},
        status=400 if form.errors else 200,
    )


@role_required(Role.VENDOR)
@require_POST
def grant_revoke(request, pk):
    vendor = _vendor(request)
    grant = SupportGrant.objects.filter(vendor=vendor, pk=pk).first()
    if grant is None:
        raise Http404
    try:
        support_services.revoke(grant, by=request.user, request=request)
    except services.DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Akses dukungan dicabut."))
    return redirect("desk:grants")
