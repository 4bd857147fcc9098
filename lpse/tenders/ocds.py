"""Tenders as Open Contracting Data Standard 1.1 releases and release packages (BID-5).

Pure mapping: a tender read with ``public_selectors.with_public_relations`` (stages,
participants with their vendors, announcements, approved schedule changes prefetched)
becomes the releases of its history, each a full snapshot at its date:

- ``tender``: when it was announced, with the schedule as first announced;
- ``tenderAmendment``: one per approved schedule change, with the schedule after it and
  the change's reason as the amendment's rationale (ERR-3 history in open data);
- ``award``: when the winner was announced (tenderers, supplier, award value);
- ``tenderUpdate`` / ``tenderCancellation``: when it closed or was cancelled.

The schedule becomes ``tenderPeriod`` (bid upload), ``enquiryPeriod`` (clarification),
``awardPeriod`` (evaluation to winner announcement) and one milestone per stage. Money
is the HPS in IDR. Codes come only from the OCDS codelists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .choices import StageKind

OCDS_VERSION = "1.1"
CURRENCY = "IDR"

# Procurement method (Perpres 16/2018 names) -> OCDS closed `method` codelist.
PROCUREMENT_METHOD = {
    "tender": "open",
    "quick_tender": "open",
    "selection": "open",
    "direct_procurement": "direct",
    "direct_appointment": "direct",
}
# Category -> closed `procurementCategory`, and the open `extendedProcurementCategory`.
MAIN_CATEGORY = {
    "goods": "goods",
    "construction": "works",
    "consultancy": "services",
    "other_services": "services",
}
EXTENDED_CATEGORY = {
    "goods": "goods",
    "construction": "works",
    "consultancy": "consultingServices",
    "other_services": "services",
}
# Stage -> open `milestoneType` codelist.
MILESTONE_TYPE = {
    "announcement": "engagement",
    "download": "engagement",
    "clarification": "engagement",
    "bid_upload": "engagement",
    "bid_opening": "assessment",
    "evaluation": "assessment",
    "winner_announcement": "approval",
    "objection": "assessment",
    "contract": "approval",
}
# Announcement kind -> open `documentType` codelist.
DOCUMENT_TYPE = {"winner": "awardNotice"}

BUYER_PREFIX = "SKPD-"
VENDOR_PREFIX = "PENYEDIA-"
PROCURING_ENTITY_ID = "LPSE"


def ocid_prefix() -> str:
    """The registered prefix, else this LPSE's host name (unique, visibly unregistered)."""
    return settings.LPSE_OCDS_OCID_PREFIX or urlsplit(settings.SITE_URL).hostname or "lpse"


def ocid(tender) -> str:
    return f"{ocid_prefix()}-{tender.code}"


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, as the schema's date-time format wants."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def amount(value: Decimal) -> int | float:
    """Rupiah as a JSON number: whole rupiah as an integer, exact; sen as a decimal."""
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal) -> dict:
    return {"amount": amount(value), "currency": CURRENCY}


def _parse(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


Schedule = dict[str, Slot]


def _overlay(schedule: Schedule, rows: Iterable[dict]) -> Schedule:
    result = dict(schedule)
    for row in rows or ():
        result[row["kind"]] = Slot(_parse(row["starts_at"]), _parse(row["ends_at"]))
    return result


def schedule_history(tender, changes: list) -> list[Schedule]:
    """The schedule as first announced, then after each approved change (oldest first).

    Works back from today's stages: undoing the changes newest first gives each earlier
    schedule, whether a change lists the whole schedule or only the stages it moved.
    """
    current: Schedule = {
        stage.kind: Slot(stage.starts_at, stage.ends_at) for stage in tender.stages.all()
    }
    history = [current]
    for change in reversed(changes):
        history.append(_overlay(history[-1], change.before))
    history.reverse()
    return history


def _period(slot: Slot | None, end: Slot | None = None) -> dict | None:
    if slot is None:
        return None
    return {"startDate": timestamp(slot.starts_at), "endDate": timestamp((end or slot).ends_at)}


def _order(kind: str) -> int:
    return list(MILESTONE_TYPE).index(kind) if kind in MILESTONE_TYPE else len(MILESTONE_TYPE)


def _milestones(tender, schedule: Schedule, at: datetime, cancelled: bool) -> list[dict]:
    milestones = []
    for kind in sorted(schedule, key=_order):
        slot = schedule[kind]
        milestones.append(
            {
                "id": f"{tender.code}-{kind}",
                "title": str(StageKind(kind).label),
                "type": MILESTONE_TYPE.get(kind, "engagement"),
                "description": f"{timestamp(slot.starts_at)} / {timestamp(slot.ends_at)}",
                "dueDate": timestamp(slot.ends_at),
                "dateModified": timestamp(at),
                "status": "met" if slot.ends_at <= at else ("notMet" if cancelled else "scheduled"),
            }
        )
    return milestones


def _organization(party_id: str, name: str, roles: list[str], **extra) -> dict:
    return {"id": party_id, "name": name, "roles": roles, **{k: v for k, v in extra.items() if v}}


def _vendor_party(vendor, roles: list[str]) -> dict:
    address = {"streetAddress": vendor.address, "locality": vendor.city, "countryName": "Indonesia"}
    return _organization(f"{VENDOR_PREFIX}{vendor.pk}", vendor.name, roles, address=address)


def _reference(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


@dataclass
class TenderFacts:
    """What the mapping reads from one tender, gathered once from prefetched rows."""

    tender: object
    changes: list
    announcements: list
    bidders: list
    winners: list
    winner_announced_at: datetime | None
    ended_at: datetime | None


def facts(tender) -> TenderFacts:
    changes = sorted(
        (c for c in tender.schedule_changes.all() if c.status == "approved" and c.decided_at),
        key=lambda c: (c.decided_at, c.pk),
    )
    announcements = sorted(tender.announcements.all(), key=lambda a: (a.published_at, a.pk))
    participants = list(tender.participants.all())
    winner_notices = [a.published_at for a in announcements if a.kind == "winner"]
    return TenderFacts(
        tender=tender,
        changes=changes,
        announcements=announcements,
        bidders=[p for p in participants if p.bid_price is not None],
        winners=[p for p in participants if p.is_winner],
        winner_announced_at=winner_notices[0] if winner_notices else None,
        ended_at=tender.closed_at if tender.status in ("closed", "cancelled") else None,
    )


def releases(tender) -> list[dict]:
    """Every release of one public tender, oldest first (texts in Indonesian, language "id")."""
    if tender.announced_at is None:
        return []
    with translation.override("id"):
        return _releases(tender)


def _releases(tender) -> list[dict]:
    info = facts(tender)
    schedules = schedule_history(tender, info.changes)
    out = [_release(info, "tender", tender.announced_at, schedules[0], [])]
    for index, change in enumerate(info.changes):
        out.append(
            _release(
                info,
                "tenderAmendment",
                change.decided_at,
                schedules[index + 1],
                info.changes[: index + 1],
                release_suffix=f"perubahan-{change.pk}",
            )
        )
    if info.winner_announced_at and info.winners:
        out.append(_release(info, "award", info.winner_announced_at, schedules[-1], None))
    if info.ended_at:
        tag = "tenderCancellation" if tender.status == "cancelled" else "tenderUpdate"
        out.append(_release(info, tag, info.ended_at, schedules[-1], None))
    return out


def _release(info, tag, at, schedule, changes, release_suffix=None) -> dict:
    tender = info.tender
    if changes is None:
        changes = [c for c in info.changes if c.decided_at <= at]
    with_bids = tag in ("award", "tenderUpdate", "tenderCancellation")
    awarded = with_bids and bool(info.winners) and info.winner_announced_at is not None
    identifier = ocid(tender)

    buyer = _organization(
        f"{BUYER_PREFIX}{tender.work_unit.code}", tender.work_unit.name, ["buyer"]
    )
    procuring = _organization(
        PROCURING_ENTITY_ID,
        settings.LPSE_NAME,
        ["procuringEntity"],
        address={"streetAddress": settings.LPSE_ADDRESS, "countryName": "Indonesia"},
        contactPoint={
            key: value
            for key, value in (("email", settings.LPSE_EMAIL), ("url", settings.LPSE_WEBSITE))
            if value
        },
    )
    parties = [buyer, procuring]
    tenderers = []
    suppliers = []
    if with_bids:
        for participant in info.bidders:
            roles = ["tenderer"] + (["supplier"] if awarded and participant.is_winner else [])
            party = _vendor_party(participant.vendor, roles)
            parties.append(party)
            tenderers.append(_reference(party))
            if "supplier" in roles:
                suppliers.append(_reference(party))

    status = "active"
    if tag == "tenderCancellation":
        status = "cancelled"
    elif tag == "tenderUpdate":
        status = "complete" if awarded else "unsuccessful"

    detail_url = settings.SITE_URL + reverse("tenders:public_detail", args=[tender.code])
    body = {
        "id": tender.code,
        "title": tender.name,
        "description": tender.description or tender.name,
        "status": status,
        "procuringEntity": _reference(procuring),
        "value": money(tender.hps),
        "procurementMethod": PROCUREMENT_METHOD.get(tender.method, "open"),
        "procurementMethodDetails": str(tender.get_method_display()),
        "mainProcurementCategory": MAIN_CATEGORY[tender.category],
        "additionalProcurementCategories": [EXTENDED_CATEGORY[tender.category]],
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": detail_url,
        "eligibilityCriteria": tender.qualification_requirements,
        "milestones": _milestones(tender, schedule, at, tag == "tenderCancellation"),
        "documents": [
            {
                "id": f"{tender.code}-pengumuman-{notice.pk}",
                "documentType": DOCUMENT_TYPE.get(notice.kind, "tenderNotice"),
                "title": notice.title,
                "description": notice.body,
                "url": f"{detail_url}#pengumuman-{notice.pk}",
                "datePublished": timestamp(notice.published_at),
                "format": "text/html",
                "language": "id",
            }
            for notice in info.announcements
            if notice.published_at <= at
        ],
    }
    for key, kinds in (
        ("tenderPeriod", ("bid_upload",)),
        ("enquiryPeriod", ("clarification",)),
        ("awardPeriod", ("evaluation", "winner_announcement")),
    ):
        period = _period(schedule.get(kinds[0]), schedule.get(kinds[-1]))
        if period:
            body[key] = period
    if with_bids:
        body["tenderers"] = tenderers
        body["numberOfTenderers"] = len(tenderers)
    if changes:
        body["amendments"] = [
            {
                "id": f"perubahan-{change.pk}",
                "date": timestamp(change.decided_at),
                "rationale": change.reason,
                "description": "Perubahan jadwal: "
                + ", ".join(str(StageKind(kind).label) for kind in change.changed_kinds()),
                "releaseID": f"{identifier}-perubahan-{change.pk}",
            }
            for change in changes
        ]
    body = {k: v for k, v in body.items() if v not in (None, "", [])}

    release = {
        "ocid": identifier,
        "id": f"{identifier}-{release_suffix or tag}",
        "date": timestamp(at),
        "tag": [tag],
        "initiationType": "tender",
        "language": "id",
        "parties": parties,
        "buyer": _reference(buyer),
        "tender": body,
    }
    if tender.ceiling is not None:
        release["planning"] = {
            "budget": {
                "description": f"Pagu paket, tahun anggaran {tender.budget_year}",
                "amount": money(tender.ceiling),
            }
        }
    if awarded:
        winners = [p for p in info.winners if p.bid_price is not None] or info.winners
        price = sum(
            ((p.corrected_price or p.bid_price) for p in winners if p.bid_price is not None),
            Decimal(0),
        )
        award = {
            "id": f"{tender.code}-pemenang",
            "title": f"Pemenang {tender.name}",
            "status": "cancelled" if tag == "tenderCancellation" else "active",
            "date": timestamp(info.winner_announced_at),
            "suppliers": suppliers,
        }
        if price:
            award["value"] = money(price)
        release["awards"] = [award]
    return release


def package_chunks(*, uri: str, published: datetime, releases: Iterable[dict]) -> Iterator[str]:
    """A release package as JSON text in pieces, so a large period streams in flat memory."""
    head = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": timestamp(published),
        "publisher": {"name": settings.LPSE_NAME},
    }
    if settings.LPSE_WEBSITE:
        head["publisher"]["uri"] = settings.LPSE_WEBSITE
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "releases": ['
    separator = ""
    for release in releases:
        yield separator + json.dumps(release, ensure_ascii=False)
        separator = ","
    yield "]}"
