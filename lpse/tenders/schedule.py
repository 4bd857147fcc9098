"""The rules of a tender schedule (BID-1) and of a change to it (ERR-3).

Pure functions over `Row`s: no database access, so the same rules run when the
committee saves a draft schedule, when it files a change request, and again
when the head of LPSE approves it under a lock (the clock may have moved on).
Times are aware; messages show them in WIB.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from lpse.core.calendar import add_working_days

from .choices import OVERLAP_ALLOWED_METHODS, STAGE_POSITION, Method, StageKind


@dataclass(frozen=True)
class Row:
    kind: str
    starts_at: datetime
    ends_at: datetime

    @property
    def label(self) -> str:
        return str(StageKind(self.kind).label)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "starts_at": self.starts_at.astimezone(UTC).isoformat(),
            "ends_at": self.ends_at.astimezone(UTC).isoformat(),
        }


@dataclass(frozen=True)
class Problem:
    """One broken rule; `kind` is the stage it concerns (None: the whole schedule)."""

    kind: str | None
    message: str


def wib(moment: datetime) -> str:
    """'29-11-2026 13:00 WIB'."""
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") + " WIB"


def label(kind: str) -> str:
    return str(StageKind(kind).label)


def sort_rows(rows) -> list[Row]:
    return sorted(rows, key=lambda row: STAGE_POSITION[row.kind])


def rows_of(stages) -> list[Row]:
    """Rows from Stage objects (a tender's `stages.all()`)."""
    return sort_rows(Row(s.kind, s.starts_at, s.ends_at) for s in stages)


def to_json(rows) -> list[dict]:
    return [row.as_json() for row in sort_rows(rows)]


def from_json(data: list[dict]) -> list[Row]:
    rows = []
    for item in data:
        starts_at = parse_datetime(item["starts_at"])
        ends_at = parse_datetime(item["ends_at"])
        if starts_at is None or ends_at is None:
            raise ValueError(f"bad schedule times in {item!r}")
        rows.append(Row(item["kind"], starts_at, ends_at))
    return sort_rows(rows)


def min_upload_days() -> int:
    return settings.LPSE_MIN_UPLOAD_WORKING_DAYS


def upload_minimum_end(starts_at: datetime, days: int | None = None) -> datetime:
    """The earliest end of an upload stage starting at `starts_at`: the same WIB clock time
    `days` working days later (with 0 days: the start itself)."""
    days = min_upload_days() if days is None else days
    if days <= 0:
        return starts_at
    local = timezone.localtime(starts_at)
    day = add_working_days(local, days)
    moment = datetime.combine(day, time(local.hour, local.minute, local.second))
    return timezone.make_aware(moment, local.tzinfo)


def _upload_too_short(row: Row, days: int) -> Problem:
    return Problem(
        row.kind,
        gettext(
            "Tahap %(stage)s paling singkat %(days)d hari kerja: dengan mulai %(start)s, "
            "paling cepat selesai %(end)s."
        )
        % {
            "stage": row.label,
            "days": days,
            "start": wib(row.starts_at),
            "end": wib(upload_minimum_end(row.starts_at, days)),
        },
    )


def validate_schedule(rows, *, method: str) -> list[Problem]:
    """The rules every schedule keeps: all stages, each ends after it starts, stages in
    order, no overlap unless the method allows it, a long enough upload stage."""
    by_kind = {row.kind: row for row in rows}
    problems: list[Problem] = []
    for kind in StageKind.ORDER:  # type: ignore[attr-defined]
        if kind not in by_kind:
            problems.append(
                Problem(kind, gettext("Tahap %(stage)s wajib diisi.") % {"stage": label(kind)})
            )
    if problems:
        return problems
    ordered = sort_rows(rows)
    for row in ordered:
        if row.ends_at <= row.starts_at:
            problems.append(
                Problem(
                    row.kind,
                    gettext("Tahap %(stage)s: waktu selesai harus setelah waktu mulai.")
                    % {"stage": row.label},
                )
            )
    overlap_allowed = method in OVERLAP_ALLOWED_METHODS
    for previous, row in itertools.pairwise(ordered):
        names = {
            "stage": row.label,
            "previous": previous.label,
            "start": wib(row.starts_at),
            "previous_start": wib(previous.starts_at),
            "previous_end": wib(previous.ends_at),
        }
        if row.starts_at < previous.starts_at:
            problems.append(
                Problem(
                    row.kind,
                    gettext(
                        "Urutan tahap salah: %(stage)s (mulai %(start)s) tidak boleh mulai "
                        "sebelum %(previous)s (mulai %(previous_start)s)."
                    )
                    % names,
                )
            )
        elif not overlap_allowed and row.starts_at < previous.ends_at:
            problems.append(
                Problem(
                    row.kind,
                    gettext(
                        "Tahap %(stage)s (mulai %(start)s) bertumpuk dengan %(previous)s "
                        "(selesai %(previous_end)s); metode %(method)s tidak membolehkan "
                        "tahap bertumpuk."
                    )
                    % (names | {"method": Method(method).label}),
                )
            )
        elif overlap_allowed and row.ends_at < previous.ends_at:
            problems.append(
                Problem(
                    row.kind,
                    gettext(
                        "Urutan tahap salah: %(stage)s tidak boleh selesai sebelum "
                        "%(previous)s selesai (%(previous_end)s)."
                    )
                    % names,
                )
            )
    upload = by_kind[StageKind.BID_UPLOAD]
    days = min_upload_days()
    if upload.ends_at > upload.starts_at and upload.ends_at < upload_minimum_end(
        upload.starts_at, days
    ):
        problems.append(_upload_too_short(upload, days))
    return problems


def validate_change(current, proposed, *, method: str, now: datetime) -> list[Problem]:
    """The rules of a schedule change (ERR-3) on top of `validate_schedule`: an ended stage
    stays as it was, a running stage keeps its start and ends in the future, a running
    upload stage keeps its minimum, nothing moves into the past, something changes."""
    before = {row.kind: row for row in current}
    after = {row.kind: row for row in proposed}
    problems: list[Problem] = []
    days = min_upload_days()
    for kind in StageKind.ORDER:  # type: ignore[attr-defined]
        old, new = before.get(kind), after.get(kind)
        if (
            old is None
            or new is None
            or (old.starts_at, old.ends_at)
            == (
                new.starts_at,
                new.ends_at,
            )
        ):
            continue
        names = {"stage": old.label, "end": wib(old.ends_at), "start": wib(old.starts_at)}
        if old.ends_at <= now:
            problems.append(
                Problem(
                    kind,
                    gettext("Tahap %(stage)s sudah berakhir (%(end)s) dan tidak dapat diubah.")
                    % names,
                )
            )
        elif old.starts_at <= now:
            if new.starts_at != old.starts_at:
                problems.append(
                    Problem(
                        kind,
                        gettext(
                            "Tahap %(stage)s sudah berjalan sejak %(start)s; waktu mulainya "
                            "tidak dapat diubah."
                        )
                        % names,
                    )
                )
            elif new.ends_at <= now:
                problems.append(
                    Problem(
                        kind,
                        gettext(
                            "Tahap %(stage)s sedang berjalan; waktu selesainya harus setelah "
                            "saat ini."
                        )
                        % names,
                    )
                )
            elif kind == StageKind.BID_UPLOAD and new.ends_at < upload_minimum_end(
                new.starts_at, days
            ):
                problems.append(
                    Problem(
                        kind,
                        gettext(
                            "Tahap %(stage)s sedang berjalan dan tidak boleh dipersingkat di "
                            "bawah %(days)d hari kerja: paling cepat selesai %(minimum)s."
                        )
                        % (
                            names
                            | {
                                "days": days,
                                "minimum": wib(upload_minimum_end(new.starts_at, days)),
                            }
                        ),
                    )
                )
        elif new.starts_at < now:
            problems.append(
                Problem(
                    kind,
                    gettext(
                        "Tahap %(stage)s belum dimulai dan tidak boleh dipindah ke waktu yang "
                        "sudah lewat (mulai %(new_start)s)."
                    )
                    % (names | {"new_start": wib(new.starts_at)}),
                )
            )
    if not problems and all(
        (before[k].starts_at, before[k].ends_at) == (after[k].starts_at, after[k].ends_at)
        for k in before
        if k in after
    ):
        problems.append(
            Problem(
                None, gettext("Jadwal baru sama dengan jadwal sekarang; tidak ada yang diubah.")
            )
        )
    flagged = {problem.kind for problem in problems}
    for problem in validate_schedule(proposed, method=method):
        # A running upload stage already has its own, more precise message.
        if problem.kind in flagged and problem.kind == StageKind.BID_UPLOAD:
            continue
        problems.append(problem)
    return problems


def same_schedule(a, b) -> bool:
    return to_json(a) == to_json(b)
