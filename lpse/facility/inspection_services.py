"""Data-centre inspections of Lampiran IV 4.1, 4.2.1 and Pasal 7 (INF-2).

The items are data (`data/inspection_items.yaml`, the regulation's wording);
each inspection is a row with findings and follow-up. An item is overdue when
its last inspection is older than its frequency (7 days weekly, 1 month monthly)
or it was never inspected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.audit.services import record, snapshot

from .choices import Frequency
from .models import Inspection

DATA_FILE = Path(__file__).resolve().parent / "data" / "inspection_items.yaml"
PERIOD = {Frequency.WEEKLY: timedelta(days=7), Frequency.MONTHLY: timedelta(days=30)}


@dataclass(frozen=True)
class InspectionItem:
    code: str
    section: str
    title: str
    frequency: str
    text: str
    points: tuple[str, ...] = field(default_factory=tuple)

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)


@cache
def inspection_items() -> tuple[InspectionItem, ...]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    items = []
    for row in data["items"]:
        if row["frequency"] not in Frequency.values:
            raise ValueError(f"{DATA_FILE}: unknown frequency {row['frequency']!r}")
        items.append(
            InspectionItem(
                code=str(row["code"]),
                section=row["section"],
                title=row["title"],
                frequency=row["frequency"],
                text=row.get("text") or "",
                points=tuple(row.get("points") or ()),
            )
        )
    return tuple(items)


def item_by_code(code: str) -> InspectionItem | None:
    return next((item for item in inspection_items() if item.code == code), None)


@dataclass
class ItemState:
    item: InspectionItem
    last: Inspection | None
    due_at: datetime | None

    @property
    def overdue(self) -> bool:
        return self.due_at is None or self.due_at <= timezone.now()


def item_states() -> list[ItemState]:
    """Every item with its last inspection and the moment the next one is due."""
    latest = dict(
        Inspection.objects.values("item_code")
        .annotate(last=Max("inspected_at"))
        .values_list("item_code", "last")
    )
    rows = {
        (row.item_code, row.inspected_at): row
        for row in Inspection.objects.filter(inspected_at__in=list(latest.values())).select_related(
            "inspected_by"
        )
    }
    states = []
    for item in inspection_items():
        at = latest.get(item.code)
        last = rows.get((item.code, at)) if at else None
        states.append(ItemState(item, last, at + PERIOD[item.frequency] if at else None))
    return states


class InspectionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def record_inspection(
    *, code: str, condition_ok: bool, findings: str, follow_up: str, by, request=None
) -> Inspection:
    item = item_by_code(code)
    if item is None:
        raise InspectionError(_("Butir pemeriksaan tidak dikenal."))
    if not findings.strip():
        raise InspectionError(_("Tuliskan temuan pemeriksaan."))
    if not condition_ok and not follow_up.strip():
        raise InspectionError(_("Kondisi tidak sesuai: tuliskan tindak lanjutnya."))
    inspection = Inspection.objects.create(
        item_code=code,
        inspected_by=by,
        condition_ok=condition_ok,
        findings=findings.strip(),
        follow_up=follow_up.strip(),
    )
    record(
        "facility.inspection_recorded",
        actor=by,
        target=inspection,
        after=snapshot(inspection, ["item_code", "condition_ok", "findings", "follow_up"]),
        summary=_("Pemeriksaan pusat data butir %(code)s %(title)s")
        % {"code": code, "title": item.title},
        request=request,
    )
    return inspection
