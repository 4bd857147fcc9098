"""Officers' pages of the helpdesk: logging a request, the queue, one ticket (DESK-1..3)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lpse.core.access import role_required, user_has_any_role
from lpse.reports import exports
from lpse.sop.selectors import cases_for, runs_of
from lpse.vendors.uploads import UploadRejected, stored_path

from . import escalation_services, selectors, services
from .choices import ACTIVE, Channel, TicketKind, TicketStatus
from .exports import TICKETS
from .forms import (
    AssignForm,
    EscalationForm,
    LkppAnswerForm,
    LogRequestForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    RetryForm,
    StatusForm,
)
from .models import Escalation, TicketAttachment
from .selectors import DESK_STAFF, SUPPORT_STAFF
from .uploads import files_of, limited_uploads, refuse_oversize

NOTE_IDS = "catatan_%s"  # the note and reply forms share field names on one page


def _fail(request, error) -> None:
    messages.error(request, getattr(error, "message", str(error)))


@role_required(*DESK_STAFF)
def queue(request):
    """The officers' queue: filters on indexed columns, a page without COUNT (item 6)."""
    form = QueueFilterForm(request.GET)
    filters = form.criteria()
    tickets = selectors.queue(filters, request.user)
    download = exports.download(request, form, TICKETS, tickets, form.cleaned_data)
    if download is not None:
        return download
    page = selectors.page_of(tickets, request.GET.get("page"))
    return render(
        request,
        "desk/queue.html",
        {
            "page": page,
            "filters": filters,
            "statuses": TicketStatus.choices,
            "channels": Channel.choices,
            "topics": selectors.active_topics(),
            "officers": selectors.officers(),
            "counts": [(TicketStatus(s).label, n) for s, n in selectors.active_counts().items()],
            "query_string": exports.page_query(request),
            "active": ACTIVE,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@role_required(*DESK_STAFF)
def log_request(request):
    """Record a phone call or a visit from one form (DESK-1)."""
    form = LogRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.log_request(
                by=request.user,
                requester=services.Requester(
                    name=data["requester_name"],
                    requester_type=data["requester_type"],
                    phone=data["requester_phone"],
                    email=data["requester_email"],
                    org=data["requester_org"],
                ),
                channel=data["channel"],
                topic=data["topic"],
                question=data["question"],
                answer=data["answer"],
                received_at=data["received_at"],
                ended_at=data["ended_at"],
                request=request,
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Tiket %(ref)s tercatat (%(when)s).")
                % {
                    "ref": ticket.reference,
                    "when": gettext("dalam jam kerja")
                    if ticket.inside_working_hours
                    else gettext("di luar jam kerja"),
                },
            )
            if "lagi" in request.POST:
                return redirect("desk:log")
            return redirect("desk:ticket", pk=ticket.pk)
    return render(request, "desk/log.html", {"form": form}, status=400 if form.errors else 200)


def _ticket_context(request, ticket, **forms):
    canned = None
    article_id = request.GET.get("jawaban", "")
    if article_id.isdigit():
        canned = (
            selectors.search_articles(published_only=False, canned_only=True)
            .filter(pk=int(article_id))
            .first()
        )
    reply_form = forms.get("reply_form") or ReplyForm(
        initial={"body": canned.body if canned else ""}
    )
    kb_query = request.GET.get("cari", "")[:100]
    waits = selectors.lkpp_waits(ticket)
    transitions = selectors.transitions_of(ticket)
    cases = list(cases_for(ticket))
    return {
        "ticket": ticket,
        "thread": selectors.messages_of(ticket, internal=True),
        "loose_attachments": selectors.loose_attachments(ticket, internal=True),
        "transitions": transitions,
        "clock": selectors.service_clock(transitions),
        "cases": [(case, runs_of(case)) for case in cases],
        "waits": waits,
        "waiting": selectors.waiting_escalation(ticket),
        "reply_form": reply_form,
        "note_form": forms.get("note_form") or NoteForm(auto_id=NOTE_IDS),
        "assign_form": AssignForm(
            officers=selectors.officers(),
            initial={"officer": ticket.assigned_to_id or request.user.pk},
        ),
        "status_form": StatusForm(auto_id="ubah_%s"),
        "escalation_form": forms.get("escalation_form") or EscalationForm(),
        "lkpp_form": forms.get("lkpp_form") or LkppAnswerForm(),
        "retry_form": forms.get("retry_form") or RetryForm(),
        "kb_query": kb_query,
        "canned": list(
            selectors.search_articles(kb_query, published_only=False, canned_only=True)[:10]
        ),
        "attempts": _attempts(ticket),
        "grants": selectors.active_grants_for(ticket),
        "can_support": user_has_any_role(request.user, SUPPORT_STAFF),
        "is_upload": ticket.kind == TicketKind.UPLOAD,
        "closed": ticket.status == TicketStatus.CLOSED,
    }


def _attempts(ticket):
    if not ticket.vendor_id:
        return []
    from lpse.vendors.company_selectors import upload_attempts

    return list(upload_attempts(ticket.vendor)[:10])


@role_required(*DESK_STAFF)
def ticket(request, pk):
    item = selectors.get_ticket_for_user(request.user, pk)
    return render(request, "desk/ticket.html", _ticket_context(request, item))


def _staff_ticket(request, pk):
    return selectors.get_ticket_for_user(request.user, pk)


@limited_uploads
@role_required(*DESK_STAFF)
@require_POST
def ticket_reply(request, pk):
    item = _staff_ticket(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not refuse_oversize(request, form) and form.is_valid():
        try:
            services.reply(
                item,
                form.cleaned_data["body"],
                by=request.user,
                status=form.cleaned_data["status"],
                files=files_of(form),
                request=request,
            )
        except (services.DeskError, UploadRejected) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Jawaban tersimpan."))
            return redirect("desk:ticket", pk=item.pk)
    return render(
        request, "desk/ticket.html", _ticket_context(request, item, reply_form=form), status=400
    )


@limited_uploads
@role_required(*DESK_STAFF)
@require_POST
def ticket_note(request, pk):
    item = _staff_ticket(request, pk)
    form = NoteForm(request.POST, request.FILES, auto_id=NOTE_IDS)
    if not refuse_oversize(request, form) and form.is_valid():
        try:
            services.add_note(
                item,
                form.cleaned_data["body"],
                by=request.user,
                files=files_of(form),
                request=request,
            )
        except (services.DeskError, UploadRejected) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Catatan internal tersimpan."))
            return redirect("desk:ticket", pk=item.pk)
    return render(
        request, "desk/ticket.html", _ticket_context(request, item, note_form=form), status=400
    )


@role_required(*DESK_STAFF)
@require_POST
def ticket_assign(request, pk):
    item = _staff_ticket(request, pk)
    form = AssignForm(request.POST, officers=selectors.officers())
    if form.is_valid():
        try:
            services.assign(item, form.cleaned_data["officer"], by=request.user, request=request)
        except services.DeskError as error:
            _fail(request, error)
        else:
            messages.success(request, gettext("Petugas tiket diperbarui."))
    else:
        messages.error(request, gettext("Pilih petugas helpdesk."))
    return redirect("desk:ticket", pk=item.pk)


@role_required(*DESK_STAFF)
@require_POST
def ticket_status(request, pk):
    item = _staff_ticket(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                item,
                form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.DeskError as error:
            _fail(request, error)
        else:
            messages.success(request, gettext("Status tiket diperbarui."))
    else:
        messages.error(request, gettext("Pilih status yang dikenal."))
    return redirect("desk:ticket", pk=item.pk)


@role_required(*DESK_STAFF)
@require_POST
def ticket_escalate(request, pk):
    """DESK-3: record the escalation to LKPP."""
    item = _staff_ticket(request, pk)
    form = EscalationForm(request.POST)
    if form.is_valid():
        try:
            escalation_services.escalate(
                item, by=request.user, request=request, **form.cleaned_data
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Tiket diteruskan ke LKPP; jam layanan LPSE dijeda."))
            return redirect("desk:ticket", pk=item.pk)
    return render(
        request,
        "desk/ticket.html",
        _ticket_context(request, item, escalation_form=form),
        status=400,
    )


@role_required(*DESK_STAFF)
@require_POST
def lkpp_answer(request, pk):
    escalation = get_object_or_404(Escalation.objects.select_related("ticket"), pk=pk)
    item = _staff_ticket(request, escalation.ticket_id)
    form = LkppAnswerForm(request.POST)
    if form.is_valid():
        try:
            escalation_services.record_lkpp_answer(
                escalation, by=request.user, request=request, **form.cleaned_data
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, gettext("Jawaban LKPP dicatat dan diteruskan kepada penanya.")
            )
            return redirect("desk:ticket", pk=item.pk)
    return render(
        request, "desk/ticket.html", _ticket_context(request, item, lkpp_form=form), status=400
    )


@role_required(*DESK_STAFF)
@require_POST
def upload_retry(request, pk):
    """ERR-4 outcome "retry" (SOP 3.7 step 3)."""
    item = _staff_ticket(request, pk)
    form = RetryForm(request.POST)
    if form.is_valid():
        try:
            escalation_services.advise_retry(
                item, form.cleaned_data["explanation"], by=request.user, request=request
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Penyedia diberi tahu untuk mencoba unggah lagi."))
            return redirect("desk:ticket", pk=item.pk)
    return render(
        request, "desk/ticket.html", _ticket_context(request, item, retry_form=form), status=400
    )


def attachment_download(request, pk):
    """A ticket attachment: officers any, the requester the non-internal ones of its ticket.
    Always an attachment, never inline (SEC-3)."""
    attachment = get_object_or_404(TicketAttachment.objects.select_related("ticket"), pk=pk)
    ticket = selectors.get_ticket_for_user(request.user, attachment.ticket_id)
    if attachment.internal and not selectors.is_desk_staff(request.user):
        raise Http404
    path = stored_path(attachment.stored_name)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        Path(path).open("rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    del ticket
    return response


@role_required(*DESK_STAFF)
def report(request):
    """Tickets by topic, channel and requester; inside/outside hours; satisfaction (DESK-4)."""
    today = timezone.localdate()
    try:
        start = datetime.strptime(request.GET.get("dari", ""), "%Y-%m-%d").date()
    except ValueError:
        start = today.replace(day=1)
    try:
        end = datetime.strptime(request.GET.get("sampai", ""), "%Y-%m-%d").date()
    except ValueError:
        end = today
    if end < start:
        messages.error(request, gettext("Tanggal akhir tidak boleh sebelum tanggal awal."))
        end = start
    tz = timezone.get_current_timezone()
    data = selectors.report(
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
    return render(request, "desk/report.html", {"report": data, "start": start, "end": end})
