"""Reads and access checks of sealed bids (BID-2, BID-4).

`get_bid_for_user(user, pk)`: a vendor sees the bids of their own company; a
committee member sees the bids of their tenders (metadata only: the plaintext is
served by `get_opened_for_committee` after opening). Anything else is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from lpse.core.access import get_object_for_user
from lpse.tenders.models import CommitteeMember, Tender
from lpse.tenders.selectors import vendor_of

from .choices import BidStatus
from .models import Bid, BidOpening, BidTransition, Opening, TenderKey, TusUpload


def _bid_queryset() -> QuerySet[Bid]:
    return Bid.objects.select_related(
        "tender", "participant", "participant__vendor", "key", "submitted_by"
    )


def _bid_scope(queryset: QuerySet[Bid], user) -> QuerySet[Bid]:
    if user.is_superuser:
        return queryset
    vendor = vendor_of(user)
    own = Q(participant__vendor=vendor) if vendor is not None else Q(pk__in=[])
    return queryset.filter(own | Q(tender__members__user=user)).distinct()


def get_bid_for_user(user, pk: int) -> Bid:
    """A bid of the user's company, or of a tender the user's Pokja runs; else 404."""
    return get_object_for_user(_bid_queryset(), user, _bid_scope, pk=pk)


def get_own_bid(user, pk: int) -> Bid:
    """A bid of the user's own company (receipts, PDF, signature); else 404."""

    def scope(queryset, user):
        vendor = vendor_of(user)
        if vendor is None:
            return queryset.none()
        return queryset.filter(participant__vendor=vendor)

    return get_object_for_user(_bid_queryset(), user, scope, pk=pk)


def is_member(tender: Tender, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or CommitteeMember.objects.filter(tender=tender, user=user).exists()


def bids_of_tender_for_committee(user, tender: Tender) -> list[Bid]:
    """Every bid of the tender (submitted first, then the superseded history), for a member of
    its Pokja; 404 for anybody else."""
    if not is_member(tender, user):
        raise Http404
    return list(
        _bid_queryset()
        .filter(tender=tender)
        .order_by("status", "participant__vendor__name", "-received_at", "-pk")
    )


def submitted_bids(tender: Tender) -> QuerySet[Bid]:
    return _bid_queryset().filter(tender=tender, status=BidStatus.SUBMITTED).order_by("pk")


def bids_of_participant(participant) -> list[Bid]:
    return list(_bid_queryset().filter(participant=participant).order_by("-received_at", "-pk"))


def key_of(tender: Tender) -> TenderKey | None:
    return TenderKey.objects.filter(tender=tender).first()


def latest_opening(tender: Tender) -> Opening | None:
    return Opening.objects.filter(tender=tender).select_related("opened_by").first()


def results_of(opening: Opening) -> list[BidOpening]:
    return list(
        opening.results.select_related("bid", "bid__participant__vendor").order_by(
            "bid__participant__vendor__name", "pk"
        )
    )


def get_result_for_committee(user, code: str, pk: int) -> BidOpening:
    """An opening result of a tender the user's Pokja runs (the plaintext download); 404
    for vendors, outsiders and members of other Pokja."""

    def scope(queryset, user):
        if user.is_superuser:
            return queryset
        return queryset.filter(opening__tender__members__user=user)

    return get_object_for_user(
        BidOpening.objects.select_related("opening__tender", "bid__participant__vendor"),
        user,
        scope,
        pk=pk,
        opening__tender__code=code,
    )


def history_of(tender: Tender) -> list[BidTransition]:
    return list(tender.bid_transitions.select_related("by").order_by("at", "pk"))


def submitted_bids_of_vendor(user) -> QuerySet[Bid]:
    vendor = vendor_of(user)
    if vendor is None:
        return Bid.objects.none()
    return _bid_queryset().filter(participant__vendor=vendor, status=BidStatus.SUBMITTED)


#: The scopes of a token issued on the bids token page (upload and read receipts).
UPLOAD_TOKEN_SCOPES = ("bids:write", "bids:read")


def upload_tokens_of(user, limit: int = 50) -> list:
    """The user's API tokens that may upload bids (bids:write), newest first; one query."""
    from lpse.api.selectors import tokens_of

    return [token for token in tokens_of(user)[: limit * 4] if token.has_scope("bids:write")][
        :limit
    ]


def active_upload_token_of(user, pk):
    """One of the user's own unrevoked API tokens (None for anybody else's)."""
    from lpse.api.selectors import tokens_of

    try:
        return tokens_of(user).filter(pk=int(pk), revoked_at__isnull=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


def receipts_of_vendor(user) -> QuerySet[Bid]:
    """Every bid (submitted and superseded) of the user's own company, newest first: each
    has its signed receipt. Empty for a user without a company."""
    vendor = vendor_of(user)
    if vendor is None:
        return Bid.objects.none()
    return _bid_queryset().filter(participant__vendor=vendor).order_by("-received_at", "-pk")


def own_upload(user, upload_id) -> TusUpload | None:
    """One of the user's own resumable uploads with its tender and bid; None otherwise."""
    return TusUpload.objects.select_related("tender", "bid").filter(pk=upload_id, user=user).first()
