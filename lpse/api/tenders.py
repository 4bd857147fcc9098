"""Public tenders, their schedules and OCDS release packages (GEN-3, BID-5).

No token: the same public data as /tender/ and its OCDS downloads, read through
the same selectors (`lpse.tenders.public_selectors`) and OCDS builder
(`lpse.tenders.ocds`), so the API and the pages never disagree.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from lpse.tenders import ocds, public_selectors
from lpse.tenders.choices import Category, Method, StageKind
from lpse.tenders.public_presenters import moved_stages
from lpse.tenders.spse import change_counts

from .errors import COMMON_ERRORS, error_responses
from .schemas import Id, Mapped, Pages, Text, absolute

router = Router(tags=["tender"])

#: A tender code (digits, as in the /tender/<code>/ pages).
Code = Path(..., pattern=r"^[0-9]{1,20}$", description="Kode tender / tender code")

StageFilter = StrEnum(
    "StageFilter",
    {
        **{kind.name: kind.value for kind in StageKind},
        "CLOSED": public_selectors.STAGE_CLOSED,
        "CANCELLED": public_selectors.STAGE_CANCELLED,
    },
)
CategoryIn = StrEnum("CategoryIn", {c.name: c.value for c in Category})
MethodIn = StrEnum("MethodIn", {m.name: m.value for m in Method})


class TenderFilter(Schema):
    q: Text = Field("", max_length=100, description="Kode, nama paket atau satuan kerja")
    work_unit: Id | None = Field(None, description="Id satuan kerja")
    category: CategoryIn | None = None
    method: MethodIn | None = None
    stage: StageFilter | None = Field(
        None, description="Tahap yang sedang berjalan, atau `selesai` / `batal`"
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Tahun anggaran")


class WorkUnitOut(Schema):
    code: str
    name: str


class StageOut(Schema):
    kind: str
    label: str
    starts_at: datetime
    ends_at: datetime
    state: str = Field(description="`ended`, `running` or `upcoming`")
    changes: int = Field(description="Berapa kali tahap ini diubah / times this stage moved")


class TenderSummary(Schema):
    code: str
    name: str
    work_unit: WorkUnitOut
    budget_year: int
    hps: str = Field(description="Nilai HPS (IDR), decimal string")
    method: str
    category: str
    status: str
    stage_label: str
    current_stage: str | None
    participant_count: int
    announced_at: datetime | None
    url: str
    ocds_url: str


class AnnouncementOut(Schema):
    kind: str
    title: str
    body: str
    published_at: datetime


class MovedStageOut(Schema):
    label: str
    before_start: datetime | None
    before_end: datetime | None
    after_start: datetime | None
    after_end: datetime | None


class ScheduleChangeOut(Schema):
    decided_at: datetime | None
    reason: str
    moved: list[MovedStageOut]


class ScheduleOut(Schema):
    code: str
    stages: list[StageOut]
    changes: list[ScheduleChangeOut]


class TenderDetail(TenderSummary):
    description: str
    location: list[str]
    qualification: str
    qualification_requirements: str
    ceiling: str | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    stages: list[StageOut]
    announcements: list[AnnouncementOut]
    schedule_changes: list[ScheduleChangeOut]
    winners: list[str] = Field(
        description="Nama pemenang setelah diumumkan / winners once announced"
    )


def _summary(tender, now: datetime, participant_count: int) -> dict[str, Any]:
    current = tender.current_stage(now)
    return {
        "code": tender.code,
        "name": tender.name,
        "work_unit": {"code": tender.work_unit.code, "name": tender.work_unit.name},
        "budget_year": tender.budget_year,
        "hps": str(tender.hps),
        "method": tender.method,
        "category": tender.category,
        "status": tender.status,
        "stage_label": str(tender.stage_label(now)),
        "current_stage": current.kind if current else None,
        "participant_count": participant_count,
        "announced_at": tender.announced_at,
        "url": absolute(reverse("tenders:public_detail", args=[tender.code])),
        "ocds_url": absolute(reverse("api:tender_ocds", args=[tender.code])),
    }


def _stages(tender, now: datetime, counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "kind": stage.kind,
            "label": str(stage.get_kind_display()),
            "starts_at": stage.starts_at,
            "ends_at": stage.ends_at,
            "state": stage.state(now),
            "changes": counts.get(stage.kind, 0),
        }
        for stage in tender.stage_list()
    ]


def _changes(changes) -> list[dict[str, Any]]:
    return [
        {
            "decided_at": change.decided_at,
            "reason": change.reason,
            "moved": [vars(moved) for moved in moved_stages(change)],
        }
        for change in changes
    ]


@router.get(
    "",
    response={200: list[TenderSummary], **error_responses(*COMMON_ERRORS)},
    summary=str(_("Daftar tender publik")),
    url_name="tender_list",
)
@paginate(Pages)
def tender_list(request: HttpRequest, filters: Query[TenderFilter]):
    """Public tenders, newest code first, with the same filters as the /tender/ page."""
    criteria = public_selectors.PublicFilter(
        q=filters.q.strip(),
        work_unit_id=filters.work_unit,
        category=filters.category.value if filters.category else "",
        method=filters.method.value if filters.method else "",
        stage=filters.stage.value if filters.stage else "",
        year=filters.year,
    )
    now = timezone.now()
    return Mapped(
        public_selectors.search(criteria, now=now),
        lambda tender: _summary(tender, now, tender.participant_count),
    )


@router.get(
    "/{code}",
    response={200: TenderDetail, **error_responses(404, *COMMON_ERRORS)},
    summary=str(_("Rincian tender dengan jadwal")),
    url_name="tender_detail",
)
def tender_detail(request: HttpRequest, code: str = Code):
    """One public tender: its stages, announcements, approved schedule changes, winners."""
    tender = public_selectors.get_public_tender(code)
    now = timezone.now()
    changes = list(tender.schedule_changes.all())
    participants = list(tender.participants.all())
    announced = public_selectors.winner_announced(tender)
    return {
        **_summary(tender, now, len(participants)),
        "description": tender.description,
        "location": [line.strip() for line in tender.location.splitlines() if line.strip()],
        "qualification": tender.qualification,
        "qualification_requirements": tender.qualification_requirements,
        "ceiling": str(tender.ceiling) if tender.ceiling is not None else None,
        "closed_at": tender.closed_at,
        "cancelled_at": tender.cancelled_at,
        "stages": _stages(tender, now, change_counts(changes)),
        "announcements": [
            {"kind": a.kind, "title": a.title, "body": a.body, "published_at": a.published_at}
            for a in tender.announcements.all()
        ],
        "schedule_changes": _changes(changes),
        "winners": [p.vendor.name for p in participants if p.is_winner] if announced else [],
    }


@router.get(
    "/{code}/schedule",
    response={200: ScheduleOut, **error_responses(404, *COMMON_ERRORS)},
    summary=str(_("Jadwal tender dan perubahannya")),
    url_name="tender_schedule",
)
def tender_schedule(request: HttpRequest, code: str = Code):
    """The schedule as it stands, and every approved change with the stages it moved."""
    tender = public_selectors.get_public_tender(code)
    changes = list(tender.schedule_changes.all())
    return {
        "code": tender.code,
        "stages": _stages(tender, timezone.now(), change_counts(changes)),
        "changes": _changes(changes),
    }


def package_uri(request: HttpRequest) -> str:
    return settings.SITE_URL + request.get_full_path()


@router.get(
    "/{code}/ocds",
    response={200: dict[str, Any], **error_responses(404, *COMMON_ERRORS)},
    summary=str(_("Paket rilis OCDS satu tender")),
    url_name="tender_ocds",
)
def tender_ocds(request: HttpRequest, code: str = Code):
    """Every OCDS 1.1 release of one tender as a release package."""
    tender = public_selectors.get_public_tender(code)
    releases = ocds.releases(tender)
    published = max(datetime.fromisoformat(r["date"]) for r in releases)
    body = "".join(
        ocds.package_chunks(uri=package_uri(request), published=published, releases=releases)
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")
