"""What the public detail page shows of one tender (BID-5, ERR-3 history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .choices import StageKind
from .public_selectors import winner_announced
from .spse import change_counts


@dataclass(frozen=True)
class MovedStage:
    label: str
    before_start: datetime | None
    before_end: datetime | None
    after_start: datetime | None
    after_end: datetime | None


def _slots(rows) -> dict[str, tuple[datetime, datetime]]:
    return {
        row["kind"]: (
            datetime.fromisoformat(row["starts_at"]),
            datetime.fromisoformat(row["ends_at"]),
        )
        for row in rows or ()
    }


def moved_stages(change) -> list[MovedStage]:
    """The stages one schedule change moved, in schedule order, before and after."""
    before, after = _slots(change.before), _slots(change.after)
    moved = []
    for kind in StageKind.ORDER:
        kind = str(kind)
        if kind in after and before.get(kind) != after[kind]:
            old = before.get(kind, (None, None))
            moved.append(MovedStage(str(StageKind(kind).label), *old, *after[kind]))
    return moved


def detail_context(tender, now: datetime) -> dict:
    changes = list(tender.schedule_changes.all())
    counts = change_counts(changes)
    current = tender.current_stage(now)
    participants = list(tender.participants.all())
    announced = winner_announced(tender)
    return {
        "tender": tender,
        "now": now,
        "stage_label": tender.stage_label(now),
        "stages": [
            {
                "stage": stage,
                "current": current is not None and stage.pk == current.pk,
                "changes": counts.get(stage.kind, 0),
            }
            for stage in tender.stage_list()
        ],
        "announcements": list(tender.announcements.all()),
        "changes": [{"change": change, "moved": moved_stages(change)} for change in changes],
        "participant_count": len(participants),
        "winners": [p for p in participants if p.is_winner] if announced else [],
        "winner_announced": announced,
        "spse_announcement": (
            "spse:tender_announcement" if tender.is_tender_method else "spse:nontender_announcement"
        ),
    }
