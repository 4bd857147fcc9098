"""Reads and access checks of training (TRN-1..TRN-4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from lpse.accounts.choices import Role
from lpse.core import calendar
from lpse.core.access import get_object_for_user, user_has_any_role
from lpse.reports.exports import in_period

from .models import Letter, TrainerFeed, TrainingRequest, TrainingSession

#: Who files requests for their own work unit.
FILING_ROLES = (Role.AGENCY_ADMIN, Role.PPK)
#: Who sees and works every request.
DESK_ROLES = (Role.HELPDESK, Role.HEAD)
#: Who sees every request read-only (besides the desk).
VIEW_ALL_ROLES = (*DESK_ROLES, Role.APPADMIN, Role.TRAINER)
LIST_ROLES = (*VIEW_ALL_ROLES, *FILING_ROLES)
RESOURCE_ROLES = (Role.HEAD, Role.APPADMIN)


def requests() -> QuerySet[TrainingRequest]:
    return TrainingRequest.objects.select_related(
        "work_unit", "requested_by", "session__room", "session__trainer"
    )


def requests_for(queryset: QuerySet[TrainingRequest], user) -> QuerySet[TrainingRequest]:
    """Everything for the desk and trainers; an agency admin or PPK only their work unit's."""
    if user_has_any_role(user, VIEW_ALL_ROLES):
        return queryset
    if user_has_any_role(user, FILING_ROLES) and user.work_unit_id:
        return queryset.filter(work_unit_id=user.work_unit_id)
    return queryset.none()


def request_list(user, filters: dict) -> QuerySet[TrainingRequest]:
    """The requests the user may see, filtered: the list page and its export alike (RPT-1).

    `filters` is the cleaned `RequestFilterForm` (an empty dict filters nothing).
    """
    queryset = requests_for(requests(), user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    text = " ".join((filters.get("q") or "").split())
    if text:
        queryset = queryset.filter(
            Q(work_unit__name__icontains=text)
            | Q(letter_number__icontains=text)
            | Q(contact_name__icontains=text)
        )
    return queryset.filter(
        in_period("requested_at", filters.get("dari"), filters.get("sampai"))
    ).order_by("-requested_at", "-pk")


def get_request_for_user(user, pk: int) -> TrainingRequest:
    return get_object_for_user(requests(), user, requests_for, pk=pk)


def get_letter_for_user(user, pk: int) -> Letter:
    def scope(queryset, user):
        return queryset.filter(request__in=requests_for(TrainingRequest.objects.all(), user))

    return get_object_for_user(Letter.objects.select_related("request"), user, scope, pk=pk)


def can_work(user) -> bool:
    return user_has_any_role(user, DESK_ROLES)


def can_record_outcome(user, training: TrainingRequest) -> bool:
    if can_work(user):
        return True
    session = getattr(training, "session", None)
    return bool(session and session.trainer_id == user.pk and user.has_role(Role.TRAINER))


def sessions_between(start: datetime, end: datetime) -> QuerySet[TrainingSession]:
    """Sessions starting in [start, end), cancelled ones included (shown struck through)."""
    return (
        TrainingSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("request__work_unit", "room", "server", "trainer")
        .order_by("starts_at", "pk")
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    zone = calendar.local_tz()
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=zone),
        datetime.combine(following, datetime.min.time(), tzinfo=zone),
    )


def trainer_for_token(token_hash: str):
    feed = TrainerFeed.objects.select_related("user").filter(token_hash=token_hash).first()
    if feed is None or not feed.user.is_active or not feed.user.has_role(Role.TRAINER):
        return None
    return feed.user


def feed_sessions(trainer, now: datetime) -> QuerySet[TrainingSession]:
    return sessions_between(now - timedelta(days=90), now + timedelta(days=400)).filter(
        trainer=trainer
    )
