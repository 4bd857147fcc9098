"""Reads and access checks of the failed-opening procedure (ERR-1).

A request, its files and its witness report are seen by the tender's committee, the head
of LPSE, LPSE staff (application/system administrators) and the helpdesk, which records
these incidents (SOP 3.1); anybody else gets a 404. The
plaintext of a file the LPSE opened is the committee's only, like normally opened bids.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from lpse.core.access import get_object_for_user, user_has_any_role

from .choices import OpeningOutcome
from .failure_choices import RequestStatus
from .failure_models import FailedFile, FailedOpeningRequest, WitnessReport
from .failure_services import READER_ROLES
from .models import BidOpening


def _request_scope(queryset: QuerySet[FailedOpeningRequest], user):
    if user_has_any_role(user, READER_ROLES):
        return queryset
    return queryset.filter(tender__members__user=user).distinct()


def _queryset() -> QuerySet[FailedOpeningRequest]:
    return FailedOpeningRequest.objects.select_related(
        "tender", "tender__work_unit", "filed_by", "handled_by", "escalated_by", "closed_by"
    )


def get_request_for_user(user, pk: int) -> FailedOpeningRequest:
    """A request the user may see: the tender's committee, the head, LPSE staff; else 404."""
    return get_object_for_user(_queryset(), user, _request_scope, pk=pk)


def get_file_for_user(user, request_pk: int, pk: int) -> FailedFile:
    def scope(queryset, user):
        if user_has_any_role(user, READER_ROLES):
            return queryset
        return queryset.filter(request__tender__members__user=user).distinct()

    return get_object_for_user(
        FailedFile.objects.select_related("request__tender"),
        user,
        scope,
        pk=pk,
        request_id=request_pk,
    )


def get_plain_for_committee(user, request_pk: int, pk: int) -> FailedFile:
    """An opened file's plaintext: only the tender's committee (404 for everybody else)."""

    def scope(queryset, user):
        if user.is_superuser:
            return queryset
        return queryset.filter(request__tender__members__user=user).distinct()

    return get_object_for_user(
        FailedFile.objects.select_related("request__tender").exclude(plain_name=""),
        user,
        scope,
        pk=pk,
        request_id=request_pk,
    )


def get_report_for_user(user, request_pk: int) -> WitnessReport:
    def scope(queryset, user):
        if user_has_any_role(user, READER_ROLES):
            return queryset
        return queryset.filter(request__tender__members__user=user).distinct()

    return get_object_for_user(
        WitnessReport.objects.select_related("request__tender"),
        user,
        scope,
        request_id=request_pk,
    )


def files_of(request_obj: FailedOpeningRequest) -> list[FailedFile]:
    files = list(request_obj.files.prefetch_related("attempts__by").order_by("pk"))
    for file in files:
        file.attempt_list = list(file.attempts.all())
    return files


def transitions_of(request_obj: FailedOpeningRequest):
    return list(request_obj.transitions.select_related("by").order_by("at", "pk"))


def report_of(request_obj: FailedOpeningRequest) -> WitnessReport | None:
    return WitnessReport.objects.filter(request=request_obj).first()


def requests_of_tender(tender) -> list[FailedOpeningRequest]:
    """The tender's requests, newest first, for its opening page (status for the committee)."""
    return list(
        FailedOpeningRequest.objects.filter(tender=tender)
        .select_related("witness_report")
        .order_by("-filed_at", "-pk")
    )


def request_queue(user, status: str = "") -> QuerySet[FailedOpeningRequest]:
    """Requests the user may see: open ones first (oldest first), then closed ones."""
    queryset = _request_scope(_queryset(), user)
    if status:
        return queryset.filter(status=status).order_by("filed_at", "pk")
    return queryset.order_by(F("closed_at").desc(nulls_first=True), "-filed_at", "-pk")


def failed_results(tender) -> list[BidOpening]:
    """Failed opening results of the tender's bids not already in an open request."""
    busy = FailedFile.objects.filter(
        request__tender=tender,
        request__status__in=[
            RequestStatus.FILED,
            RequestStatus.HANDLING,
            RequestStatus.HANDLED,
            RequestStatus.ESCALATED,
        ],
        bid_opening__isnull=False,
    ).values("bid_opening_id")
    return list(
        BidOpening.objects.filter(opening__tender=tender, outcome=OpeningOutcome.FAILED)
        .exclude(pk__in=busy)
        .select_related("bid", "bid__participant__vendor", "opening")
        .order_by("-opening__started_at", "bid__participant__vendor__name", "pk")
    )
