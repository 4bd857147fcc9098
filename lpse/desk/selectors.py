"""Reads and access checks of the helpdesk (DESK-1..4, ERR-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.core.access import get_object_for_user, user_has_any_role
from lpse.core.calendar import one_reading, working_seconds_between
from lpse.reports.exports import in_period
from lpse.sop.selectors import format_duration

from .choices import (
    ACTIVE,
    CLOCK_PAUSED,
    CLOCK_RUNNING,
    Channel,
    EscalationStatus,
    RequesterType,
    TicketStatus,
)
from .models import REFERENCE_RE, Article, Escalation, Ticket, TicketMessage, Topic
from .services import name_key
from .support import SupportGrant

#: Who works the helpdesk queue (Lampiran II 2.1 Helpdesk; the head oversees).
DESK_STAFF = (Role.HELPDESK, Role.HEAD, Role.APPADMIN, Role.SYSADMIN)
#: Who may use a vendor's support access (3.7: administrators, with the helpdesk).
SUPPORT_STAFF = (Role.HELPDESK, Role.APPADMIN, Role.SYSADMIN)
#: Who keeps the knowledge base and the topic list.
KB_EDITORS = (Role.HELPDESK, Role.HEAD)
#: LKPP's answer standard (DESK-3; Lampiran III 3.7 step 4 "1 - 24 Jam"), in clock time.
LKPP_STANDARD = timedelta(hours=24)
PAGE_SIZE = 25


def is_desk_staff(user) -> bool:
    return user_has_any_role(user, DESK_STAFF)


def _ticket_scope(queryset: QuerySet, user) -> QuerySet:
    if is_desk_staff(user):
        return queryset
    return queryset.filter(requester=user)


def get_ticket_for_user(user, pk: int) -> Ticket:
    """A ticket the user may see: desk staff every one, anybody else only their own."""
    return get_object_for_user(
        Ticket.objects.select_related("topic", "assigned_to", "requester", "vendor", "created_by"),
        user,
        _ticket_scope,
        pk=pk,
    )


def get_own_ticket(user, pk: int) -> Ticket:
    """A ticket the user asked (the requester's pages and the JSON API): even desk staff see
    only their own here; any other ticket is a 404 like one that does not exist."""
    ticket = get_ticket_for_user(user, pk)
    if ticket.requester_id != user.pk:
        raise Http404
    return ticket


# --- The officers' queue (DESK-2, item 6) -------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    status: str = "active"  # "active", "all" or a TicketStatus value
    assigned: str = ""  # "", "me", "none" or a user pk
    topic: int | None = None
    channel: str = ""
    query: str = ""
    since: date | None = None  # received on or after this WIB day
    until: date | None = None  # received on or before this WIB day


def queue(filters: QueueFilter, user) -> QuerySet[Ticket]:
    """Tickets for the queue, each filter an indexed column; active ones oldest first.

    The one filter of the queue page and of its CSV/XLSX export (RPT-1).
    """
    queryset = Ticket.objects.select_related("topic", "assigned_to")
    if filters.since or filters.until:
        queryset = queryset.filter(in_period("received_at", filters.since, filters.until))
    if filters.status == "active":
        queryset = queryset.filter(queue_at__isnull=False)
    elif filters.status in TicketStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.assigned == "me":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assigned.isdigit():
        queryset = queryset.filter(assigned_to_id=int(filters.assigned))
    if filters.topic:
        queryset = queryset.filter(topic_id=filters.topic)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    query = " ".join(filters.query.split())
    if query:
        match = REFERENCE_RE.search(query)
        if match:
            queryset = queryset.filter(reference=f"HD-{match.group(1)}-{match.group(2)}".upper())
        elif "@" in query:
            queryset = queryset.filter(requester_email=query.lower())
        else:
            queryset = queryset.filter(_name_prefix(name_key(query)))
    if filters.status == "active":
        return queryset.order_by("queue_at", "pk")
    return queryset.order_by("-received_at", "-pk")


def _name_prefix(key: str) -> Q:
    """Names starting with `key` as an index range scan (see vendors.selectors.name_prefix)."""
    if connection.vendor == "postgresql":
        return Q(search_name__startswith=key)
    return Q(search_name__gte=key, search_name__lt=key[:-1] + chr(ord(key[-1]) + 1))


@dataclass
class Page:
    """A page without COUNT(*): with 200,000 tickets only the rows shown are read."""

    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_of(queryset: QuerySet, number: str | int | None, size: int = PAGE_SIZE) -> Page:
    try:
        number = max(1, min(int(number or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


def active_counts() -> dict[str, int]:
    """Tickets per status of the default view: one query, a range scan of its index."""
    counts = Ticket.objects.filter(queue_at__isnull=False).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in ACTIVE}
    )
    return {status: counts[status] for status in ACTIVE}


def officers() -> QuerySet:
    from lpse.accounts.models import User

    return (
        User.objects.filter(is_active=True, role_rows__role=Role.HELPDESK)
        .distinct()
        .order_by("username")
    )


# --- One ticket -------------------------------------------------------------------------------


def messages_of(ticket: Ticket, *, internal: bool) -> list[TicketMessage]:
    """The messages with their attachments; internal notes only for officers."""
    queryset = ticket.messages.select_related("author")
    attachments = ticket.attachments.all()
    if not internal:
        queryset = queryset.exclude(kind="note")
        attachments = attachments.filter(internal=False)
    return list(queryset.prefetch_related(Prefetch("attachments", queryset=attachments)))


def loose_attachments(ticket: Ticket, *, internal: bool):
    queryset = ticket.attachments.filter(message__isnull=True)
    if not internal:
        queryset = queryset.filter(internal=False)
    return list(queryset)


def transitions_of(ticket: Ticket):
    return list(ticket.transitions.select_related("by"))


@dataclass(frozen=True)
class ServiceClock:
    """The LPSE's own service-level clock of a ticket (DESK-3), from its transition rows."""

    working_seconds: float  # counted while new/being handled, in working hours
    paused_seconds: float  # waiting on LKPP or the requester (clock time)
    running: bool
    target_hours: int

    @property
    def used(self) -> timedelta:
        return timedelta(seconds=round(self.working_seconds))

    @property
    def paused(self) -> timedelta:
        return timedelta(seconds=round(self.paused_seconds))

    @property
    def used_text(self) -> str:
        return format_duration(self.used)

    @property
    def paused_text(self) -> str:
        return format_duration(self.paused)

    @property
    def within_target(self) -> bool:
        return self.working_seconds <= self.target_hours * 3600

    @property
    def percent(self) -> int:
        return min(999, round(self.working_seconds / (self.target_hours * 36)))


def service_clock(transitions, now: datetime | None = None) -> ServiceClock:
    """Working time spent in NEW/OPEN between transitions; waiting time paused; stops when
    answered or closed. `transitions` in time order (the ticket's TicketTransition rows)."""
    now = now or timezone.now()
    working = paused = 0.0
    running = False
    with one_reading():
        for index, row in enumerate(transitions):
            end = transitions[index + 1].at if index + 1 < len(transitions) else now
            if end <= row.at:
                continue
            if row.to_status in CLOCK_RUNNING:
                working += working_seconds_between(row.at, end)
            elif row.to_status in CLOCK_PAUSED:
                paused += (end - row.at).total_seconds()
        if transitions:
            running = transitions[-1].to_status in CLOCK_RUNNING
    return ServiceClock(working, paused, running, settings.LPSE_DESK_TARGET_HOURS)


@dataclass(frozen=True)
class LkppWait:
    escalation: Escalation
    waited: timedelta
    due_at: datetime

    @property
    def within(self) -> bool:
        end = self.escalation.answered_at or timezone.now()
        return end <= self.due_at

    @property
    def waited_text(self) -> str:
        return format_duration(self.waited)


def lkpp_waits(ticket: Ticket, now: datetime | None = None) -> list[LkppWait]:
    """Every escalation with its wait against the 1-24 hour standard (clock time)."""
    now = now or timezone.now()
    waits = []
    for escalation in ticket.escalations.select_related("sent_by", "recorded_by").order_by(
        "sent_at"
    ):
        end = escalation.answered_at or now
        waits.append(
            LkppWait(escalation, end - escalation.sent_at, escalation.sent_at + LKPP_STANDARD)
        )
    return waits


def waiting_escalation(ticket: Ticket) -> Escalation | None:
    return ticket.escalations.filter(status=EscalationStatus.WAITING).first()


# --- The requester's side ----------------------------------------------------------------


def my_tickets(user) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(requester=user)
        .select_related("topic")
        .order_by("-received_at", "-pk")
    )


def active_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


# --- Knowledge base ------------------------------------------------------------------------------


def search_articles(query: str = "", *, published_only: bool = True, canned_only: bool = False):
    """Articles whose title or body contain every word of `query` (case-insensitive)."""
    queryset = Article.objects.select_related("topic")
    if published_only:
        queryset = queryset.filter(is_published=True)
    if canned_only:
        queryset = queryset.filter(is_canned=True)
    for word in (query or "").lower().split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.order_by("title", "pk")


def get_article_for_user(user, pk: int) -> Article:
    queryset = Article.objects.select_related("topic", "updated_by")
    if not user_has_any_role(user, DESK_STAFF):
        queryset = queryset.filter(is_published=True)
    try:
        return queryset.get(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None


# --- Support access (ERR-4) -----------------------------------------------------------------------


def grants_of(vendor) -> list[SupportGrant]:
    return list(
        SupportGrant.objects.filter(vendor=vendor)
        .select_related("ticket")
        .prefetch_related("actions__actor")
        .order_by("-granted_at", "-pk")[:20]
    )


def active_grants_for(ticket: Ticket) -> list[SupportGrant]:
    now = timezone.now()
    if not ticket.vendor_id:
        return []
    return list(
        SupportGrant.objects.filter(
            vendor_id=ticket.vendor_id, revoked_at__isnull=True, expires_at__gt=now
        ).order_by("-granted_at")
    )


def get_grant_for_staff(user, pk: int) -> SupportGrant:
    """An ACTIVE grant, for support staff only; an ended or revoked one is a 404."""
    if not user_has_any_role(user, SUPPORT_STAFF):
        raise Http404
    now = timezone.now()
    try:
        return SupportGrant.objects.select_related("vendor", "ticket").get(
            pk=pk, revoked_at__isnull=True, granted_at__lte=now, expires_at__gt=now
        )
    except SupportGrant.DoesNotExist:
        raise Http404 from None


# --- Report (DESK-1, DESK-4, RPT-1) ------------------------------------------------------------


@dataclass(frozen=True)
class DeskReport:
    total: int
    by_topic: list[dict]
    by_channel: list[dict]
    by_requester: list[dict]
    inside_hours: int
    outside_hours: int
    rated: int
    average_rating: float | None
    ratings: dict[int, int]
    escalations: int


def report(start: datetime, end: datetime) -> DeskReport:
    """Tickets received in [start, end): counts by topic, channel, requester; satisfaction."""
    tickets = Ticket.objects.filter(received_at__gte=start, received_at__lt=end)
    by_topic = list(
        tickets.values("topic__name").annotate(n=Count("pk")).order_by("-n", "topic__name")
    )
    by_channel = [
        {"label": Channel(row["channel"]).label, "n": row["n"]}
        for row in tickets.values("channel").annotate(n=Count("pk")).order_by("-n")
    ]
    by_requester = [
        {"label": RequesterType(row["requester_type"]).label, "n": row["n"]}
        for row in tickets.values("requester_type").annotate(n=Count("pk")).order_by("-n")
    ]
    summary = tickets.aggregate(
        total=Count("pk"),
        inside=Count("pk", filter=Q(inside_working_hours=True)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        average=Avg("rating"),
    )
    ratings = dict.fromkeys(range(1, 6), 0)
    for row in tickets.filter(rating__isnull=False).values("rating").annotate(n=Count("pk")):
        ratings[row["rating"]] = row["n"]
    escalations = Escalation.objects.filter(ticket__in=tickets).count()
    return DeskReport(
        total=summary["total"],
        by_topic=by_topic,
        by_channel=by_channel,
        by_requester=by_requester,
        inside_hours=summary["inside"],
        outside_hours=summary["total"] - summary["inside"],
        rated=summary["rated"],
        average_rating=summary["average"],
        ratings=ratings,
        escalations=escalations,
    )
