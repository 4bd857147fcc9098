"""Reads behind the public tender pages, OCDS and the SPSE-compatible pages (BID-5).

Every list here has a constant number of queries whatever the number of tenders:
one count, one page, one prefetch per relation shown. Filters use the indexed
columns (status + budget year, work unit, category, code, name key; the stage
filter goes through Stage's (kind, ends_at) rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from lpse.accounts.models import WorkUnit

from .choices import ScheduleChangeStatus, TenderStatus
from .formatting import WIB
from .models import Announcement, Participant, ScheduleChange, Stage, Tender

#: Stage filter values besides the StageKind values.
STAGE_CLOSED = "selesai"
STAGE_CANCELLED = "batal"


def public_tenders() -> QuerySet[Tender]:
    """Tenders anyone may see: announced once, whatever happened since (cancelled stays).

    Announced and closed tenders were announced by construction (only the announcement
    leads there), so the status index alone answers for them; a cancelled one is public
    only if it was announced before (a draft may be cancelled too).
    """
    return Tender.objects.filter(
        Q(status__in=(TenderStatus.ANNOUNCED, TenderStatus.CLOSED))
        | Q(status=TenderStatus.CANCELLED, announced_at__isnull=False)
    )


@dataclass(frozen=True)
class PublicFilter:
    q: str = ""
    work_unit_id: int | None = None
    category: str = ""
    method: str = ""
    stage: str = ""
    year: int | None = None


def _participant_count():
    counted = (
        Participant.objects.filter(tender=OuterRef("pk"))
        .order_by()
        .values("tender")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _text_search(text: str) -> Q:
    """A code (six or more digits: an index range seek), or every word in the name or unit.

    Words match anywhere in the lower-cased name (``LIKE '%word%'``; on PostgreSQL the
    trigram index serves it) or in a work unit's name. The few matching units are read
    first (one query on the small unit table) so that the tender query holds literal
    ids: PostgreSQL then combines the trigram and work-unit indexes (a subquery would
    turn the OR into a full scan).
    """
    text = text.strip()
    if text.isdigit() and len(text) >= 6:
        # A range rather than LIKE 'x%': both databases seek the code's unique index.
        return Q(code__gte=text, code__lt=text[:-1] + chr(ord(text[-1]) + 1))
    words = text.lower().split()
    any_word = Q()
    for word in words:
        any_word |= Q(name__icontains=word)
    units = list(WorkUnit.objects.filter(any_word).values_list("pk", "name"))
    condition = Q()
    for word in words:
        matching = [pk for pk, name in units if word in name.lower()]
        condition &= Q(name_key__contains=word) | Q(work_unit_id__in=matching)
    return condition


def search(criteria: PublicFilter, *, now: datetime) -> QuerySet[Tender]:
    """The public list: newest code first, with what a row shows (stages prefetched)."""
    tenders = public_tenders()
    if criteria.q:
        tenders = tenders.filter(_text_search(criteria.q))
    if criteria.work_unit_id:
        tenders = tenders.filter(work_unit_id=criteria.work_unit_id)
    if criteria.category:
        tenders = tenders.filter(category=criteria.category)
    if criteria.method:
        tenders = tenders.filter(method=criteria.method)
    if criteria.year:
        tenders = tenders.filter(budget_year=criteria.year)
    if criteria.stage == STAGE_CLOSED:
        tenders = tenders.filter(status=TenderStatus.CLOSED)
    elif criteria.stage == STAGE_CANCELLED:
        tenders = tenders.filter(status=TenderStatus.CANCELLED)
    elif criteria.stage:
        running = Stage.objects.filter(
            kind=criteria.stage, starts_at__lte=now, ends_at__gt=now
        ).values("tender_id")
        tenders = tenders.filter(status=TenderStatus.ANNOUNCED, pk__in=running)
    return (
        tenders.select_related("work_unit")
        .annotate(participant_count=_participant_count())
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))
        .order_by("-code")
    )


def approved_changes() -> QuerySet[ScheduleChange]:
    return (
        ScheduleChange.objects.filter(status=ScheduleChangeStatus.APPROVED)
        .select_related("requested_by", "decided_by")
        .order_by("decided_at", "pk")
    )


def with_public_relations(tenders: QuerySet[Tender]) -> QuerySet[Tender]:
    """What a detail page and the OCDS releases read, in one query per relation."""
    return tenders.select_related("work_unit").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position")),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("vendor").order_by("joined_at", "pk"),
        ),
        Prefetch("announcements", queryset=Announcement.objects.order_by("published_at", "pk")),
        Prefetch("schedule_changes", queryset=approved_changes()),
    )


def get_public_tender(code: str) -> Tender:
    """One public tender by its code, everything its pages show prefetched; 404 otherwise."""
    tender = with_public_relations(public_tenders().filter(code=code)).first()
    if tender is None:
        raise Http404(code)
    return tender


def winner_announced(tender: Tender) -> bool:
    return any(a.kind == "winner" for a in tender.announcements.all())


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


def released_between(first: date, last: date) -> QuerySet[Tender]:
    """Tenders with an OCDS release dated in [first, last] (WIB days), oldest code first.

    The release dates are the announcement, approved schedule changes, the winner
    announcement and the close or cancellation (see ``ocds.releases``).
    """
    start, end = _day_start(first), _day_start(last + timedelta(days=1))
    in_period = {"__gte": start, "__lt": end}

    def span(field: str) -> Q:
        return Q(**{field + op: value for op, value in in_period.items()})

    changed = ScheduleChange.objects.filter(
        span("decided_at"), status=ScheduleChangeStatus.APPROVED
    ).values("tender_id")
    won = Announcement.objects.filter(span("published_at"), kind="winner").values("tender_id")
    return with_public_relations(
        public_tenders()
        .filter(span("announced_at") | span("closed_at") | Q(pk__in=changed) | Q(pk__in=won))
        .order_by("code")
    )


def release_in_period(release: dict, first: date, last: date) -> bool:
    moment = datetime.fromisoformat(release["date"]).astimezone(WIB).date()
    return first <= moment <= last
