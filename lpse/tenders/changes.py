"""Schedule change of a running tender (ERR-3, SOP 3.5-3.6).

1. The committee files the request: schedule before (the current one) and after,
   with a mandatory reason (the SOP's warning). Step 1 is done, step 2 starts.
2. The head of LPSE or an application administrator receives it (step 2 done,
   step 3 starts: the 15-30 minute standard is measured from here).
3. They approve - the change is applied - or refuse it with a note.

On approval the tender row is locked and the rules are checked again against
the clock and against the schedule as it is now: if another change was applied
meanwhile (two approvers at once), this one is refused with that reason and the
schedule stays as the winner left it. Nothing changes on any refusal. Vendors
that joined are e-mailed after commit.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.audit.services import record, snapshot
from lpse.sop import services as sop

from . import schedule as rules
from .choices import (
    AnnouncementKind,
    ScheduleChangeStatus,
    TenderStatus,
    TransitionKind,
    can_move_change,
)
from .models import Announcement, ScheduleChange, Tender
from .services import (
    ScheduleInvalid,
    TenderError,
    _now,
    lock,
    notify_participants,
    require_member,
    transition,
    write_stages,
)

DECIDER_ROLES = (Role.HEAD, Role.APPADMIN)
CHANGE_FIELDS = [
    "status",
    "reason",
    "before",
    "after",
    "requested_by",
    "requested_at",
    "received_by",
    "received_at",
    "decided_by",
    "decided_at",
    "decision_note",
]


def can_decide(user) -> bool:
    return bool(user.is_superuser or user.has_role(*DECIDER_ROLES))


def _lock_change(change: ScheduleChange) -> ScheduleChange:
    return ScheduleChange.objects.select_for_update().get(pk=change.pk)


def _running_step(case) -> int | None:
    run = case.runs.filter(ended_at__isnull=True).select_related("step").first()
    return run.step.number if run else None


@transaction.atomic
def request_change(
    tender: Tender,
    rows: list[rules.Row],
    reason: str,
    *,
    by,
    at: datetime | None = None,
    request=None,
) -> ScheduleChange:
    """File a change of a running tender's schedule; refused at once if it breaks a rule."""
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise TenderError(
            gettext(
                "Alasan perubahan jadwal wajib diisi (setiap perubahan jadwal harus "
                "mencantumkan alasannya)."
            ),
            "reason",
        )
    locked = lock(tender)
    require_member(locked, by)
    if locked.status != TenderStatus.ANNOUNCED:
        raise TenderError(gettext("Jadwal hanya dapat diubah pada tender yang sedang berjalan."))
    current = rules.rows_of(locked.stages.all())
    problems = rules.validate_change(current, rows, method=locked.method, now=at)
    if problems:
        raise ScheduleInvalid(problems)
    change = ScheduleChange.objects.create(
        tender=locked,
        reason=reason,
        before=rules.to_json(current),
        after=rules.to_json(rows),
        requested_by=by,
        requested_at=at,
    )
    case = change.open_sop_case(by=by, title=f"Perubahan jadwal tender {locked.code}")
    sop.start_step(case, 1, by=by, at=at)
    sop.finish_step(case, 1, by=by, at=at, note=reason[:500])
    sop.start_step(case, 2, by=by, at=at)
    transition(
        locked,
        TransitionKind.SCHEDULE_CHANGE,
        "",
        ScheduleChangeStatus.PENDING,
        by=by,
        at=at,
        object_id=change.pk,
        note=reason[:1000],
    )
    record(
        "tenders.schedule_change_request",
        actor=by,
        target=change,
        after=snapshot(change, CHANGE_FIELDS) | {"tender": locked.code},
        summary=f"Permohonan perubahan jadwal tender {locked.code}: {reason}"[:500],
        request=request,
    )
    return change


def _require_decider(by) -> None:
    if not can_decide(by):
        raise TenderError(
            gettext(
                "Hanya Kepala LPSE atau Administrator Aplikasi yang memutuskan perubahan jadwal."
            )
        )


def _require_pending(change: ScheduleChange) -> None:
    if change.status != ScheduleChangeStatus.PENDING:
        raise TenderError(
            gettext("Permohonan ini sudah diputuskan (%(status)s).")
            % {"status": change.get_status_display()}
        )


@transaction.atomic
def receive_change(
    change: ScheduleChange, *, by, at: datetime | None = None, request=None
) -> ScheduleChange:
    """The head/administrator takes the request up (SOP step 2 done, step 3 starts)."""
    at = _now(at)
    _require_decider(by)
    locked = _lock_change(change)
    _require_pending(locked)
    if locked.received_at is not None:
        raise TenderError(gettext("Permohonan ini sudah diterima untuk diproses."))
    locked.received_by, locked.received_at = by, at
    locked.save(update_fields=["received_by", "received_at"])
    case = locked.sop_case
    sop.finish_step(case, 2, by=by, at=at)
    sop.start_step(case, 3, by=by, at=at)
    record(
        "tenders.schedule_change_receive",
        actor=by,
        target=locked,
        after={"received_at": at.isoformat()},
        summary=f"Permohonan perubahan jadwal #{locked.pk} diterima untuk diproses",
        request=request,
    )
    return locked


def _end_case(change: ScheduleChange, *, by, at: datetime, outcome: str, note: str) -> None:
    case = change.sop_case
    if case is None:
        return
    running = _running_step(case)
    if running == 2:
        sop.finish_step(case, 2, by=by, at=at)
        sop.start_step(case, 3, by=by, at=at)
        running = 3
    if running is not None:
        sop.finish_step(case, running, by=by, at=at, note=note[:500])
    sop.close_case(case, by=by, outcome=outcome, at=at)


def _refuse(
    change: ScheduleChange, tender: Tender, note: str, *, by, at: datetime, request=None
) -> ScheduleChange:
    before = snapshot(change, CHANGE_FIELDS)
    change.status = ScheduleChangeStatus.REFUSED
    change.decided_by, change.decided_at, change.decision_note = by, at, note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _end_case(
        change, by=by, at=at, outcome=gettext("Ditolak: %(note)s") % {"note": note}, note=note
    )
    transition(
        tender,
        TransitionKind.SCHEDULE_CHANGE,
        ScheduleChangeStatus.PENDING,
        ScheduleChangeStatus.REFUSED,
        by=by,
        at=at,
        object_id=change.pk,
        note=note[:1000],
    )
    record(
        "tenders.schedule_change_refuse",
        actor=by,
        target=change,
        before=before,
        after=snapshot(change, CHANGE_FIELDS),
        summary=f"Perubahan jadwal tender {tender.code} ditolak: {note}"[:500],
        request=request,
    )
    return change


@transaction.atomic
def refuse_change(
    change: ScheduleChange, note: str, *, by, at: datetime | None = None, request=None
) -> ScheduleChange:
    at = _now(at)
    note = (note or "").strip()
    if not note:
        raise TenderError(gettext("Alasan penolakan wajib diisi."), "note")
    _require_decider(by)
    tender = lock(change.tender)
    locked = _lock_change(change)
    _require_pending(locked)
    return _refuse(locked, tender, note, by=by, at=at, request=request)


@transaction.atomic
def withdraw_change(
    change: ScheduleChange, *, by, at: datetime | None = None, request=None
) -> ScheduleChange:
    """The committee takes back its own pending request."""
    at = _now(at)
    tender = lock(change.tender)
    require_member(tender, by)
    locked = _lock_change(change)
    _require_pending(locked)
    before = snapshot(locked, CHANGE_FIELDS)
    locked.status = ScheduleChangeStatus.WITHDRAWN
    locked.decided_by, locked.decided_at = by, at
    locked.decision_note = gettext("Ditarik oleh Pokja.")
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _end_case(locked, by=by, at=at, outcome=gettext("Ditarik oleh Pokja"), note="")
    transition(
        tender,
        TransitionKind.SCHEDULE_CHANGE,
        ScheduleChangeStatus.PENDING,
        ScheduleChangeStatus.WITHDRAWN,
        by=by,
        at=at,
        object_id=locked.pk,
    )
    record(
        "tenders.schedule_change_withdraw",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, CHANGE_FIELDS),
        summary=f"Permohonan perubahan jadwal tender {tender.code} ditarik",
        request=request,
    )
    return locked


def approve_change(
    change: ScheduleChange, *, by, note: str = "", at: datetime | None = None, request=None
) -> ScheduleChange:
    """Apply the change, or - when the schedule moved meanwhile or a rule no longer holds -
    refuse it with the reason. Returns the change; its status says which happened."""
    _require_decider(by)
    with transaction.atomic():
        at = _now(at)
        tender = lock(change.tender)  # serialises every decision on this tender
        locked = _lock_change(change)
        _require_pending(locked)
        if not can_move_change(locked.status, ScheduleChangeStatus.APPROVED):
            raise TenderError(gettext("Permohonan ini tidak dapat disetujui."))
        current = rules.rows_of(tender.stages.all())
        conflict = _conflict(locked, tender, current, at)
        if conflict:
            return _refuse(locked, tender, conflict, by=by, at=at, request=request)
        proposed = rules.from_json(locked.after)
        before = snapshot(locked, CHANGE_FIELDS)
        write_stages(tender, proposed)
        locked.status = ScheduleChangeStatus.APPROVED
        locked.decided_by, locked.decided_at = by, at
        locked.decision_note = (note or "").strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _end_case(
            locked,
            by=by,
            at=at,
            outcome=gettext("Disetujui, jadwal baru diterapkan"),
            note=locked.decision_note,
        )
        changed = ", ".join(rules.label(kind) for kind in locked.changed_kinds())
        Announcement.objects.create(
            tender=tender,
            kind=AnnouncementKind.SCHEDULE_CHANGE,
            title=gettext("Perubahan jadwal tender %(code)s") % {"code": tender.code},
            body=gettext("Tahap yang berubah: %(stages)s. Alasan: %(reason)s")
            % {"stages": changed, "reason": locked.reason},
            published_at=at,
            published_by=by,
        )
        transition(
            tender,
            TransitionKind.SCHEDULE_CHANGE,
            ScheduleChangeStatus.PENDING,
            ScheduleChangeStatus.APPROVED,
            by=by,
            at=at,
            object_id=locked.pk,
            note=locked.reason[:1000],
        )
        notify_participants(
            tender,
            "schedule_changed",
            {"change": locked, "rows": _diff_rows(locked)},
        )
        record(
            "tenders.schedule_change_apply",
            actor=by,
            target=locked,
            before=before | {"schedule": locked.before},
            after=snapshot(locked, CHANGE_FIELDS) | {"schedule": locked.after},
            summary=f"Jadwal tender {tender.code} diubah: {changed}"[:500],
            request=request,
        )
        return locked


def _conflict(change: ScheduleChange, tender: Tender, current, at: datetime) -> str:
    """Why the change can no longer be applied, or ''."""
    if tender.status != TenderStatus.ANNOUNCED:
        return gettext("Tender tidak lagi berjalan (%(status)s); jadwal tidak diubah.") % {
            "status": tender.get_status_display()
        }
    if rules.to_json(current) != change.before:
        other = (
            tender.schedule_changes.filter(
                status=ScheduleChangeStatus.APPROVED, decided_at__gte=change.requested_at
            )
            .exclude(pk=change.pk)
            .order_by("-decided_at")
            .first()
        )
        if other is not None:
            return gettext(
                "Jadwal tender sudah diubah oleh permohonan #%(other)s (disetujui %(when)s) "
                "setelah permohonan ini diajukan; jadwal 'sebelum' di permohonan ini tidak "
                "berlaku lagi. Ajukan permohonan baru dari jadwal terkini."
            ) % {"other": other.pk, "when": rules.wib(other.decided_at)}
        return gettext(
            "Jadwal tender sudah berubah setelah permohonan ini diajukan. Ajukan permohonan "
            "baru dari jadwal terkini."
        )
    problems = rules.validate_change(
        current, rules.from_json(change.after), method=tender.method, now=at
    )
    if problems:
        return gettext("Tidak dapat diterapkan sekarang: %(problems)s") % {
            "problems": " ".join(problem.message for problem in problems)
        }
    return ""


def _diff_rows(change: ScheduleChange) -> list[dict]:
    """Per stage: label, before and after in WIB, and whether it changed (for e-mails/pages)."""
    before = {row.kind: row for row in rules.from_json(change.before)}
    rows = []
    for row in rules.from_json(change.after):
        old = before.get(row.kind)
        rows.append(
            {
                "label": row.label,
                "before_start": rules.wib(old.starts_at) if old else "-",
                "before_end": rules.wib(old.ends_at) if old else "-",
                "after_start": rules.wib(row.starts_at),
                "after_end": rules.wib(row.ends_at),
                "changed": old is None
                or (old.starts_at, old.ends_at) != (row.starts_at, row.ends_at),
            }
        )
    return rows


diff_rows = _diff_rows
