"""E-mails of the helpdesk to requesters (DESK-2) and the signed rating link (DESK-4).

Rendered now, sent after commit through the task queue; replies come back to
the helpdesk address with the ticket reference in the subject.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Ticket, TicketMessage

RATING_SALT = "lpse.desk.rating"
RATING_DAYS = 60


def rating_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.pk, salt=RATING_SALT, compress=True)


def ticket_from_rating_token(token: str) -> Ticket | None:
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=RATING_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(pk=pk).first()


def requester_address(ticket: Ticket) -> str:
    if ticket.requester_email:
        return ticket.requester_email
    if ticket.requester_id and ticket.requester.email:
        return ticket.requester.email
    return ""


def desk_address() -> str:
    return settings.LPSE_DESK_EMAIL


def subject_line(ticket: Ticket) -> str:
    return f"[{ticket.reference}] {ticket.subject}"


def queue_reply_email(ticket: Ticket, message: TicketMessage) -> None:
    to = requester_address(ticket)
    if not to:
        return
    context = {
        "ticket": ticket,
        "message": message,
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_PHONE": settings.LPSE_PHONE,
        "site_url": settings.SITE_URL,
        "rating_url": settings.SITE_URL + reverse("desk:rate", args=[rating_token(ticket)])
        if ticket.can_be_rated
        else "",
    }
    subject = subject_line(ticket)
    text = render_to_string("desk/email/reply_body.txt", context)
    message_id = f"<tiket-{ticket.pk}-{message.pk}@{desk_address().rsplit('@', 1)[-1]}>"
    message.emailed_to = to
    message.email_message_id = message_id
    message.save(update_fields=["emailed_to", "email_message_id"])
    from .tasks import send_desk_email

    transaction.on_commit(lambda: send_desk_email(subject, text, to, message_id))
