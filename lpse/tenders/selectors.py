"""Reads of tenders and the access helpers every tender view uses (BID-1, BID-6, ERR-3).

`get_tender_for_user` (what a logged-in user may see), `get_tender_for_committee`
(what a Pokja member may run), `get_change_for_user`, `get_document_for_user`:
anything outside the user's scope is a 404, exactly like a missing object.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from lpse.accounts.choices import Role
from lpse.core.access import get_object_for_user, user_has_any_role
from lpse.reports.exports import in_period

from .choices import ScheduleChangeStatus, TenderStatus
from .models import (
    CommitteeMember,
    Objection,
    Participant,
    Question,
    ScheduleChange,
    Tender,
    TenderDocument,
)

#: Roles that see every tender (drafts included) and decide schedule changes.
OVERSIGHT_ROLES = (Role.HEAD, Role.APPADMIN)


def vendor_of(user):
    """The user's vendor company, or None."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "vendor", None)


def _visible(queryset: QuerySet[Tender], user) -> QuerySet[Tender]:
    if user_has_any_role(user, OVERSIGHT_ROLES):
        return queryset
    public = Q(announced_at__isnull=False) & ~Q(status=TenderStatus.DRAFT)
    return queryset.filter(public | Q(members__user=user) | Q(ppk=user)).distinct()


def _run_by(queryset: QuerySet[Tender], user) -> QuerySet[Tender]:
    if user.is_superuser:
        return queryset
    return queryset.filter(members__user=user)


def tender_queryset() -> QuerySet[Tender]:
    return Tender.objects.select_related("work_unit", "ppk", "created_by").prefetch_related(
        "stages"
    )


def get_tender_for_user(user, code: str) -> Tender:
    """A tender the user may see: public ones, their committee's, their PPK's, or all for
    the head and application administrators."""
    return get_object_for_user(tender_queryset(), user, _visible, code=code)


def get_tender_for_committee(user, code: str) -> Tender:
    """A tender the user runs as a member of its Pokja."""
    return get_object_for_user(tender_queryset(), user, _run_by, code=code)


def is_committee_member(tender: Tender, user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or CommitteeMember.objects.filter(tender=tender, user=user).exists()


def _tender_text(text: str) -> Q:
    """A tender code (digits) or words of the package name."""
    text = " ".join((text or "").split())
    if not text:
        return Q()
    if text.isdigit():
        return Q(code=text)
    condition = Q()
    for word in text.lower().split():
        condition &= Q(name__icontains=word)
    return condition


def committee_tenders(user, filters: dict | None = None) -> QuerySet[Tender]:
    """The tenders of the user's Pokja, newest first, with counts; constant queries.

    `filters` (the cleaned `CommitteeFilterForm`) narrows them: the list page and
    its CSV/XLSX export use this one function (RPT-1).
    """
    filters = filters or {}
    queryset = _run_by(tender_queryset(), user).filter(
        _tender_text(filters.get("q", "")),
        in_period("created_at", filters.get("dari"), filters.get("sampai")),
    )
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.annotate(
        participant_count=Count("participants", distinct=True),
        pending_changes=Count(
            "schedule_changes",
            filter=Q(schedule_changes__status=ScheduleChangeStatus.PENDING),
            distinct=True,
        ),
    ).order_by("-created_at", "-pk")


def participant_for(tender: Tender, user) -> Participant | None:
    vendor = vendor_of(user)
    if vendor is None:
        return None
    return Participant.objects.filter(tender=tender, vendor=vendor).first()


def vendor_participations(user) -> QuerySet[Participant]:
    vendor = vendor_of(user)
    if vendor is None:
        return Participant.objects.none()
    return (
        Participant.objects.filter(vendor=vendor)
        .select_related("tender", "tender__work_unit")
        .prefetch_related("tender__stages")
        .order_by("-joined_at")
    )


def documents_of(tender: Tender) -> list[TenderDocument]:
    return list(tender.documents.select_related("uploaded_by").order_by("uploaded_at", "pk"))


def get_document_for_user(user, code: str, pk: int) -> TenderDocument:
    """A document of a tender the user may see; vendors only once they joined it."""
    tender = get_tender_for_user(user, code)
    document = TenderDocument.objects.filter(tender=tender, pk=pk).first()
    if document is None:
        raise Http404
    if not (
        is_committee_member(tender, user)
        or user_has_any_role(user, OVERSIGHT_ROLES)
        or tender.ppk_id == user.pk
        or participant_for(tender, user) is not None
    ):
        raise PermissionDenied
    return document


def participants_of(tender: Tender) -> list[Participant]:
    return list(tender.participants.select_related("vendor").order_by("rank", "joined_at", "pk"))


def questions_of(tender: Tender) -> list[Question]:
    """Every clarification question with its answer: all participants read them all."""
    queryset = tender.questions.select_related("participant__vendor", "answered_by")
    return list(queryset.order_by("asked_at", "pk"))


def objections_of(tender: Tender, *, participant: Participant | None = None) -> list[Objection]:
    queryset = tender.objections.select_related("participant__vendor", "answered_by")
    if participant is not None:
        queryset = queryset.filter(participant=participant)
    return list(queryset.order_by("filed_at", "pk"))


def schedule_history(tender: Tender, *, applied_only: bool = False) -> list[ScheduleChange]:
    """The tender's schedule changes, newest first, with who asked and who decided; each has
    `rows`: per changed stage the before/after in WIB (ERR-3). One query."""
    from .changes import diff_rows

    queryset = tender.schedule_changes.select_related("requested_by", "decided_by", "received_by")
    if applied_only:
        queryset = queryset.filter(status=ScheduleChangeStatus.APPROVED)
    history = list(queryset.order_by("-requested_at", "-pk"))
    for change in history:
        change.rows = [row for row in diff_rows(change) if row["changed"]]
    return history


def get_change_for_user(user, pk: int) -> ScheduleChange:
    """A schedule change the user may see: deciders all, committee members their tenders'."""

    def scope(queryset, user):
        if user_has_any_role(user, OVERSIGHT_ROLES):
            return queryset
        return queryset.filter(tender__members__user=user)

    return get_object_for_user(
        ScheduleChange.objects.select_related(
            "tender", "tender__work_unit", "requested_by", "decided_by", "received_by"
        ).prefetch_related("tender__stages"),
        user,
        scope,
        pk=pk,
    )


def change_list(user, filters: dict) -> QuerySet[ScheduleChange]:
    """Schedule changes for the queue page and its export alike (RPT-1).

    `filters` is `ChangeFilterForm.criteria()`. Deciders see every request; anybody
    else only those of the tenders whose Pokja they sit on (as `get_change_for_user`).
    """
    queryset = change_queue(filters.get("status", "")).filter(
        in_period("requested_at", filters.get("dari"), filters.get("sampai"))
    )
    text = " ".join((filters.get("q") or "").split())
    if text:
        queryset = queryset.filter(
            Q(tender__code=text) if text.isdigit() else Q(tender__name__icontains=text)
        )
    if not user_has_any_role(user, OVERSIGHT_ROLES):
        queryset = queryset.filter(tender__members__user=user)
    return queryset


def change_queue(status: str = ScheduleChangeStatus.PENDING) -> QuerySet[ScheduleChange]:
    """Schedule changes for the head/administrators, oldest pending first; constant queries."""
    queryset = ScheduleChange.objects.select_related(
        "tender", "tender__work_unit", "requested_by", "decided_by"
    )
    if status:
        queryset = queryset.filter(status=status)
    order = "requested_at" if status == ScheduleChangeStatus.PENDING else "-requested_at"
    return queryset.order_by(order, "pk")


def members_of(tender: Tender) -> list[CommitteeMember]:
    return list(tender.members.select_related("user").order_by("-is_chair", "pk"))


def committee_candidates():
    from lpse.accounts.models import User

    return User.objects.filter(role_rows__role=Role.COMMITTEE, is_active=True).order_by("username")


def ppk_candidates():
    from lpse.accounts.models import User

    return User.objects.filter(role_rows__role=Role.PPK, is_active=True).order_by("username")


def pact_rows(user) -> list[tuple[Tender, str, object]]:
    """(tender, role label, accepted at or None) for every tender the user is assigned to as
    Pokja member or PPK, newest first; two queries."""
    rows = []
    seats = (
        CommitteeMember.objects.filter(user=user)
        .select_related("tender", "tender__work_unit")
        .order_by("-tender__created_at")[:200]
    )
    for seat in seats:
        rows.append((seat.tender, "Pokja", seat.pact_accepted_at))
    for tender in (
        Tender.objects.filter(ppk=user).select_related("work_unit").order_by("-created_at")[:200]
    ):
        rows.append((tender, "PPK", tender.ppk_pact_accepted_at))
    rows.sort(key=lambda row: row[0].created_at, reverse=True)
    return rows
