"""Tenders in every public state for the public page, OCDS and SPSE tests (BID-5).

Rows are written directly (these tests read; the services are tested by their own
suite): a nine-stage schedule, participants with evaluation, announcements, and
approved schedule changes shaped as the service writes them (full before/after).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import make_user
from lpse.tenders.choices import StageKind
from lpse.tenders.models import (
    Announcement,
    Participant,
    ScheduleChange,
    Stage,
    Tender,
)
from lpse.vendors.tests.company_helpers import make_vendor

# 13 January 2025, 08:00 WIB.
START = datetime(2025, 1, 13, 1, 0, tzinfo=UTC)
# (kind, start day offset, length in days) of a regular tender's schedule.
PLAN = [
    (StageKind.ANNOUNCEMENT, 0, 5),
    (StageKind.DOWNLOAD, 0, 12),
    (StageKind.CLARIFICATION, 3, 1),
    (StageKind.BID_UPLOAD, 5, 7),
    (StageKind.BID_OPENING, 12, 1),
    (StageKind.EVALUATION, 13, 4),
    (StageKind.WINNER_ANNOUNCEMENT, 17, 1),
    (StageKind.OBJECTION, 18, 5),
    (StageKind.CONTRACT, 23, 3),
]


def schedule_rows(start: datetime, shift: dict | None = None) -> list[dict]:
    shift = shift or {}
    rows = []
    for kind, offset, days in PLAN:
        begin = start + timedelta(days=offset) + shift.get(kind, timedelta())
        end = start + timedelta(days=offset + days) + shift.get(kind, timedelta())
        rows.append(
            {
                "kind": str(kind),
                "starts_at": begin.isoformat(),
                "ends_at": end.isoformat(),
            }
        )
    return rows


@dataclass
class People:
    committee: object
    head: object
    creator: object


def people() -> People:
    committee = make_user("pokja_publik", Role.COMMITTEE, first_name="Siti", last_name="Rahma")
    head = make_user("kepala_publik", Role.HEAD, first_name="Ahmad", last_name="Fauzi")
    return People(committee=committee, head=head, creator=committee)


def work_unit(code="1.03.01", name="Dinas Pekerjaan Umum dan Penataan Ruang") -> WorkUnit:
    unit, _ = WorkUnit.objects.get_or_create(code=code, defaults={"name": name})
    return unit


def make_tender(
    who: People,
    code: str,
    *,
    name="Rehabilitasi Jalan Raya Serang KM 12",
    unit=None,
    status="announced",
    method="tender",
    category="construction",
    hps=Decimal("950000000.00"),
    ceiling=Decimal("1000000000.00"),
    start=START,
    year=2025,
) -> Tender:
    tender = Tender.objects.create(
        code=code,
        name=name,
        work_unit=unit or work_unit(),
        budget_year=year,
        ceiling=ceiling,
        hps=hps,
        method=method,
        category=category,
        qualification="post",
        qualification_requirements="SBU Jalan Raya (BG004) kualifikasi kecil",
        location="Kecamatan Cikupa - Kabupaten Tangerang\nKecamatan Balaraja - Kabupaten Tangerang",
        description="Rehabilitasi perkerasan jalan sepanjang 2,4 km.",
        status=status,
        created_by=who.creator,
        created_at=start - timedelta(days=2),
        announced_at=start if status != "draft" else None,
    )
    for row in schedule_rows(start):
        Stage.objects.create(
            tender=tender,
            kind=row["kind"],
            starts_at=datetime.fromisoformat(row["starts_at"]),
            ends_at=datetime.fromisoformat(row["ends_at"]),
        )
    if status != "draft":
        Announcement.objects.create(
            tender=tender,
            kind="announcement",
            title=f"Pengumuman tender {name}",
            body="Dokumen pemilihan dapat diunduh oleh peserta yang mendaftar.",
            published_at=start,
            published_by=who.committee,
        )
    return tender


def approve_change(tender: Tender, who: People, shift: dict, reason: str, at: datetime):
    """An approved change as the service leaves it: full before/after, stages moved."""
    before = [
        {"kind": s.kind, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()}
        for s in tender.stages.order_by("position")
    ]
    after = []
    for row in before:
        delta = shift.get(row["kind"], timedelta())
        after.append(
            {
                "kind": row["kind"],
                "starts_at": (datetime.fromisoformat(row["starts_at"]) + delta).isoformat(),
                "ends_at": (datetime.fromisoformat(row["ends_at"]) + delta).isoformat(),
            }
        )
    change = ScheduleChange.objects.create(
        tender=tender,
        status="approved",
        reason=reason,
        before=before,
        after=after,
        requested_by=who.committee,
        requested_at=at - timedelta(minutes=20),
        decided_by=who.head,
        decided_at=at,
    )
    for row in after:
        Stage.objects.filter(tender=tender, kind=row["kind"]).update(
            starts_at=datetime.fromisoformat(row["starts_at"]),
            ends_at=datetime.fromisoformat(row["ends_at"]),
        )
    Announcement.objects.create(
        tender=tender,
        kind="schedule_change",
        title="Perubahan jadwal",
        body=reason,
        published_at=at,
        published_by=who.head,
    )
    return change


#: Every stage from the bid upload on, two days later (what the full_history change does).
LATER_FROM_UPLOAD = {kind: timedelta(days=2) for kind, _o, _d in PLAN[3:]}

VENDORS = [
    ("PT Karya Bangun Nusantara", "012345678901234", Decimal("901500000.00")),
    ("CV Sinar Jaya Abadi", "023456789012345", Decimal("925000000.00")),
    ("PT Tangerang Konstruksi Utama", "034567890123456", Decimal("940250000.50")),
]


def join_vendors(tender: Tender, count: int = 3) -> list[Participant]:
    participants = []
    for index, (name, tax_id, _price) in enumerate(VENDORS[:count]):
        from lpse.vendors.models import Vendor

        vendor = Vendor.objects.filter(tax_id=tax_id).first()
        if vendor is None:
            user = make_user(f"penyedia_{index}", Role.VENDOR, email=f"p{index}@contoh.co.id")
            vendor = make_vendor(
                user, name=name, tax_id=tax_id, registration_number=f"REG-PUB-{index}"
            )
        participants.append(
            Participant.objects.create(
                tender=tender, vendor=vendor, joined_at=tender.announced_at + timedelta(days=1)
            )
        )
    return participants


def evaluate_and_announce(tender: Tender, who: People, participants: list[Participant], at):
    """Bids evaluated; the first participant wins; the winner announcement published."""
    for index, participant in enumerate(participants):
        price = VENDORS[index][2]
        participant.bid_price = price
        participant.corrected_price = price
        participant.qualification_passed = True
        participant.technical_passed = index != 2
        participant.price_passed = None if index == 2 else True
        participant.outcome = "failed" if index == 2 else "passed"
        participant.reasons = "Tenaga ahli tidak memenuhi syarat" if index == 2 else ""
        participant.rank = None if index == 2 else index + 1
        participant.is_winner = index == 0
        participant.evaluated_at = at
        participant.save()
    return Announcement.objects.create(
        tender=tender,
        kind="winner",
        title="Pengumuman pemenang",
        body=f"Pemenang: {participants[0].vendor.name}",
        published_at=at,
        published_by=who.committee,
    )


def full_history(who: People, code="10000011", **kwargs) -> Tender:
    """Announced, one schedule change, three bids, winner announced, closed."""
    tender = make_tender(who, code, **kwargs)
    approve_change(
        tender,
        who,
        LATER_FROM_UPLOAD,
        "Adendum dokumen pemilihan: waktu penyusunan penawaran ditambah dua hari.",
        START + timedelta(days=4),
    )
    participants = join_vendors(tender)
    evaluate_and_announce(tender, who, participants, START + timedelta(days=19, hours=2))
    Tender.objects.filter(pk=tender.pk).update(
        status="closed", closed_at=START + timedelta(days=29)
    )
    return Tender.objects.get(pk=tender.pk)
