"""The token owner's own helpdesk tickets (GEN-3, DESK-2).

`tickets:read`: list and read one's own tickets (the requester's thread, without
the officers' internal notes). `tickets:write`: file a ticket and write on it,
through the desk's services (`file_ticket`, `requester_message`), audited and
timed on the SOP like the pages. The access helper is the pages' own
(`desk.selectors.get_own_ticket`): somebody else's ticket is a 404.
"""

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from lpse.desk import selectors, services

from .auth import TokenAuth
from .choices import Scope
from .errors import BODY_ERRORS, READ_ONLY_ERRORS, TOKEN_ERRORS, ApiError, error_responses
from .schemas import MAX_ID, Id, Mapped, Pages, Required, absolute

router = Router(tags=["tiket"])

READ = TokenAuth(Scope.TICKETS_READ)
WRITE = TokenAuth(Scope.TICKETS_WRITE)
TicketId = Path(..., ge=1, le=MAX_ID, description="Id tiket / ticket id")


class TopicOut(Schema):
    id: int
    name: str


class TicketSummary(Schema):
    id: int
    reference: str
    subject: str
    topic: str
    status: str
    status_label: str
    channel: str
    received_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    rating: int | None
    url: str


class AttachmentOut(Schema):
    name: str
    size: int


class MessageOut(Schema):
    id: int
    kind: str = Field(description="requester, reply or lkpp")
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TicketDetail(TicketSummary):
    question: str
    messages: list[MessageOut]


class TicketIn(Schema):
    topic: Id = Field(strict=True, description="Id topik dari GET /tickets/topics / topic id")
    subject: Required = Field(min_length=1, max_length=200)
    question: Required = Field(min_length=1, max_length=10_000)


class MessageIn(Schema):
    body: Required = Field(min_length=1, max_length=10_000)


def _summary(ticket) -> dict:
    return {
        "id": ticket.pk,
        "reference": ticket.reference or "",
        "subject": ticket.subject,
        "topic": ticket.topic.name,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "channel": ticket.channel,
        "received_at": ticket.received_at,
        "answered_at": ticket.answered_at,
        "closed_at": ticket.closed_at,
        "rating": ticket.rating,
        "url": absolute(reverse("desk:my_ticket", args=[ticket.pk])),
    }


def _message(message) -> dict:
    return {
        "id": message.pk,
        "kind": message.kind,
        "author": message.author_name
        or (
            message.author.get_full_name() or message.author.get_username()
            if message.author
            else ""
        ),
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [
            {"name": attachment.original_name, "size": attachment.size}
            for attachment in message.attachments.all()
        ],
    }


def _detail(ticket) -> dict:
    return {
        **_summary(ticket),
        "question": ticket.question,
        "messages": [_message(m) for m in selectors.messages_of(ticket, internal=False)],
    }


def _refused(error: services.DeskError) -> ApiError:
    return ApiError(409, "refused", error.template, error.params)


@router.get(
    "/topics",
    auth=TokenAuth(Scope.TICKETS_READ, Scope.TICKETS_WRITE),
    response={200: list[TopicOut], **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Topik tiket yang dapat dipilih")),
    url_name="ticket_topics",
)
def ticket_topics(request: HttpRequest):
    """The active topics a new ticket is filed under."""
    return [{"id": t.pk, "name": t.name} for t in selectors.active_topics()]


@router.get(
    "",
    auth=READ,
    response={200: list[TicketSummary], **error_responses(*TOKEN_ERRORS)},
    summary=str(_("Tiket saya")),
    url_name="ticket_list",
)
@paginate(Pages)
def ticket_list(request: HttpRequest):
    """The token owner's tickets, newest first."""
    return Mapped(selectors.my_tickets(request.user), _summary)


@router.get(
    "/{ticket_id}",
    auth=READ,
    response={200: TicketDetail, **error_responses(404, *TOKEN_ERRORS)},
    summary=str(_("Satu tiket saya dengan percakapannya")),
    url_name="ticket_detail",
)
def ticket_detail(request: HttpRequest, ticket_id: int = TicketId):
    """One of the owner's tickets with its messages (internal notes are never shown)."""
    return _detail(selectors.get_own_ticket(request.user, ticket_id))


@router.post(
    "",
    auth=WRITE,
    response={
        201: TicketDetail,
        **error_responses(*BODY_ERRORS, 409, *TOKEN_ERRORS, *READ_ONLY_ERRORS),
    },
    summary=str(_("Ajukan tiket baru")),
    url_name="ticket_create",
)
def ticket_create(request: HttpRequest, data: TicketIn):
    """File a ticket to the helpdesk, as the /layanan/tiket/baru/ page does."""
    topic = selectors.active_topics().filter(pk=data.topic).first()
    if topic is None:
        raise ApiError(
            422,
            "unknown_topic",
            _("Topik %(topic)s tidak ada atau tidak aktif."),
            {"topic": data.topic},
        )
    try:
        ticket = services.file_ticket(
            by=request.user,
            topic=topic,
            subject=data.subject,
            question=data.question,
            request=request,
        )
    except services.DeskError as error:
        raise _refused(error) from None
    return Status(201, _detail(selectors.get_own_ticket(request.user, ticket.pk)))


@router.post(
    "/{ticket_id}/messages",
    auth=WRITE,
    response={
        201: MessageOut,
        **error_responses(*BODY_ERRORS, 404, 409, *TOKEN_ERRORS, *READ_ONLY_ERRORS),
    },
    summary=str(_("Tulis pesan pada tiket saya")),
    url_name="ticket_message",
)
def ticket_message(request: HttpRequest, data: MessageIn, ticket_id: int = TicketId):
    """Write again on one's own ticket: it goes back to the helpdesk officers."""
    ticket = selectors.get_own_ticket(request.user, ticket_id)
    try:
        message = services.requester_message(ticket, data.body, by=request.user, request=request)
    except services.DeskError as error:
        raise _refused(error) from None
    return Status(201, _message(message))
