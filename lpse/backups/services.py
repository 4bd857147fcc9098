"""Writes of the backup register (BAK-1..BAK-3): runs, verifications, medium moves.

A backup run is three short transactions around long I/O: the run is recorded
as running, the engine writes the medium (no lock held), then the run is
finished or failed. Every write is audited.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from lpse.audit.services import record, snapshot

from . import engine, manifest, retention
from .choices import TRANSITIONS, RunStatus, Trigger, VerifyResult
from .errors import BackupError
from .models import BackupRun, Medium, MediumMove, RunTransition, Verification

logger = logging.getLogger(__name__)

RUN_FIELDS = ["backup_id", "status", "members", "size", "stored_size", "verify_result", "error"]


def _actor(by):
    return by if by is not None and getattr(by, "pk", None) else None


def _move(run: BackupRun, to_status: str, *, by, note: str = "") -> None:
    if to_status not in TRANSITIONS[run.status]:
        raise BackupError(f"Status cadangan {run.status} tidak dapat menjadi {to_status}.")
    RunTransition.objects.create(
        run=run, from_status=run.status, to_status=to_status, by=_actor(by), note=note
    )
    run.status = to_status


@transaction.atomic
def start_run(*, target: str, trigger: str, backup_id: str, by=None) -> BackupRun:
    run = BackupRun.objects.create(
        backup_id=backup_id, target=target, trigger=trigger, requested_by=_actor(by)
    )
    RunTransition.objects.create(run=run, to_status=RunStatus.RUNNING, by=_actor(by))
    record(
        "backups.run_started",
        actor=_actor(by),
        target=run,
        after=snapshot(run, ["backup_id", "target", "trigger"]),
        summary=f"Cadangan {backup_id} dimulai ke {target}",
    )
    return run


def _medium_for(data: dict) -> Medium:
    info = data["medium"]
    medium, _created = Medium.objects.get_or_create(
        label=info["label"][:100], defaults={"medium_id": info["id"]}
    )
    if not medium.medium_id:
        medium.medium_id = info["id"]
        medium.save(update_fields=["medium_id"])
    return medium


@transaction.atomic
def finish_run(run: BackupRun, data: dict, *, by=None) -> BackupRun:
    run = BackupRun.objects.select_for_update().get(pk=run.pk)
    before = snapshot(run, RUN_FIELDS)
    totals = data["totals"]
    run.medium = _medium_for(data)
    run.members = totals["members"]
    run.size = totals["size"]
    run.stored_size = totals["stored_size"]
    run.new_stored_size = totals["new_stored_size"]
    run.new_objects = totals["new_objects"]
    run.includes_secrets = data["includes_secrets"]
    run.encryption = data["encryption"]
    run.finished_at = datetime.fromisoformat(data["finished_at"])
    _move(run, RunStatus.COMPLETE, by=by)
    run.save()
    record(
        "backups.run_completed",
        actor=_actor(by),
        target=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
        summary=f"Cadangan {run.backup_id} selesai: {run.members} anggota di {run.medium}",
    )
    return run


def finish_restored(data: dict) -> BackupRun | None:
    """After a restore: the snapshot was taken while its own run was still "running";
    finish that row from the manifest so the register is right on the restored system."""
    run = BackupRun.objects.filter(backup_id=data["id"], status=RunStatus.RUNNING).first()
    return finish_run(run, data) if run is not None else None


@transaction.atomic
def fail_run(run: BackupRun, error: str, *, by=None) -> BackupRun:
    run = BackupRun.objects.select_for_update().get(pk=run.pk)
    before = snapshot(run, RUN_FIELDS)
    run.error = error
    run.finished_at = timezone.now()
    _move(run, RunStatus.FAILED, by=by, note=error)
    run.save(update_fields=["error", "finished_at", "status"])
    record(
        "backups.run_failed",
        actor=_actor(by),
        target=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
        summary=f"Cadangan {run.backup_id} gagal: {error}"[:500],
    )
    return run


@transaction.atomic
def record_not_configured(*, at: datetime | None = None) -> BackupRun:
    """The scheduled backup has no target: one register row says so (updated, not repeated)."""
    at = at or timezone.now()
    latest = BackupRun.objects.filter(trigger=Trigger.SCHEDULE).order_by("-started_at").first()
    if latest is not None and latest.status == RunStatus.NOT_CONFIGURED:
        latest.finished_at = at
        latest.save(update_fields=["finished_at"])
        return latest
    run = BackupRun.objects.create(
        trigger=Trigger.SCHEDULE,
        status=RunStatus.NOT_CONFIGURED,
        started_at=at,
        finished_at=at,
        error="LPSE_BACKUP_TARGET belum diatur",
    )
    RunTransition.objects.create(run=run, to_status=RunStatus.NOT_CONFIGURED, at=at)
    record(
        "backups.not_configured",
        actor=None,
        target=run,
        summary="Cadangan terjadwal tidak berjalan: LPSE_BACKUP_TARGET belum diatur",
    )
    return run


def run_backup(
    target: str,
    *,
    by=None,
    trigger: str = Trigger.COMMAND,
    label: str | None = None,
    include_secrets: bool = False,
    passphrase: str | None = None,
    public_key=None,
    show_progress: bool | None = None,
) -> tuple[BackupRun, dict]:
    """Record, write and finish one backup; raises BackupError (after recording the failure)."""
    backup_id = manifest.new_backup_id(timezone.now())
    run = start_run(target=target, trigger=trigger, backup_id=backup_id, by=by)
    try:
        data = engine.create_backup(
            target,
            label=label,
            include_secrets=include_secrets,
            passphrase=passphrase,
            public_key=public_key,
            backup_id=backup_id,
            show_progress=show_progress,
        )
    except BackupError as exc:
        fail_run(run, str(exc), by=by)
        raise
    except Exception as exc:
        fail_run(run, f"{exc.__class__.__name__}: {exc}", by=by)
        raise
    return finish_run(run, data, by=by), data


def _result_of(report: engine.VerifyReport) -> str:
    if report.problems:
        return VerifyResult.FAILED
    return VerifyResult.OK if report.contents_checked else VerifyResult.STORED_OK


@transaction.atomic
def record_verification(
    backup_id: str, *, result: str, report=None, message: str = "", by=None
) -> Verification | None:
    """Store a verification in the register, if this backup is in it."""
    run = BackupRun.objects.select_for_update().filter(backup_id=backup_id).first()
    if run is None:
        return None
    before = snapshot(run, ["verify_result", "verified_at"])
    problems = [vars(problem) for problem in report.problems] if report else []
    check = Verification.objects.create(
        run=run,
        result=result,
        members=report.members if report else 0,
        bytes_checked=report.bytes_checked if report else 0,
        problems=problems[:1000],
        message=message,
        by=_actor(by),
    )
    run.verify_result = result
    run.verified_at = check.at
    run.save(update_fields=["verify_result", "verified_at"])
    record(
        "backups.verified",
        actor=_actor(by),
        target=run,
        before=before,
        after=snapshot(run, ["verify_result", "verified_at"]),
        summary=f"Pemeriksaan cadangan {backup_id}: {run.get_verify_result_display()}, "
        f"{len(problems)} masalah",
    )
    return check


def verify(
    target: str,
    backup_id: str | None = None,
    *,
    by=None,
    passphrase: str | None = None,
    private_key=None,
    show_progress: bool | None = None,
    store_result: bool = True,
) -> engine.VerifyReport:
    """Verify a backup on `target` and store the result when the database is reachable.
    An unreadable backup of the register (e.g. an interrupted one) is recorded too."""
    try:
        report = engine.verify_backup(
            target,
            backup_id,
            passphrase=passphrase,
            private_key=private_key,
            show_progress=show_progress,
        )
    except BackupError as exc:
        if store_result and backup_id:
            _store_quietly(backup_id, VerifyResult.UNREADABLE, None, str(exc), by)
        raise
    if store_result:
        _store_quietly(report.backup_id, _result_of(report), report, "", by)
    return report


def _store_quietly(backup_id, result, report, message, by) -> None:
    try:
        record_verification(backup_id, result=result, report=report, message=message, by=by)
    except DatabaseError as exc:  # the register is optional for verify (a rescue machine)
        logger.warning("Hasil pemeriksaan %s tidak tersimpan: %s", backup_id, exc)


@transaction.atomic
def record_move(
    medium: Medium,
    *,
    to_location: str,
    moved_by_name: str,
    moved_at: datetime,
    note: str = "",
    by,
) -> MediumMove:
    """A medium was taken to another place (Pasal 14: apart from the server room)."""
    medium = Medium.objects.select_for_update().get(pk=medium.pk)
    before = snapshot(medium, ["location", "location_since"])
    move = MediumMove.objects.create(
        medium=medium,
        from_location=medium.location,
        to_location=to_location,
        moved_by_name=moved_by_name,
        moved_at=moved_at,
        note=note,
        recorded_by=by,
    )
    if medium.location_since is None or moved_at >= medium.location_since:
        medium.location = to_location
        medium.location_since = moved_at
        medium.save(update_fields=["location", "location_since"])
    record(
        "backups.medium_moved",
        actor=by,
        target=medium,
        before=before,
        after=snapshot(medium, ["location", "location_since"]),
        summary=f"Media {medium.label} dipindahkan ke {to_location} oleh {moved_by_name}",
    )
    return move


def scheduled_backup(now: datetime | None = None) -> BackupRun | None:
    """The periodic task's work: back up to LPSE_BACKUP_TARGET when the last good
    scheduled backup is older than LPSE_BACKUP_INTERVAL_HOURS, verify it, prune."""
    from .selectors import last_complete_scheduled

    now = now or timezone.now()
    target = settings.LPSE_BACKUP_TARGET
    if not target:
        return record_not_configured(at=now)
    last = last_complete_scheduled()
    interval = settings.LPSE_BACKUP_INTERVAL_HOURS * 3600
    # A few minutes of slack so that a daily run does not slip an hour each day.
    if last is not None and (now - last.started_at).total_seconds() < interval - 600:
        return None
    public_key = None
    if settings.LPSE_BACKUP_PUBLIC_KEY_FILE:
        from pathlib import Path

        from .encryption import load_public_key

        public_key = load_public_key(Path(settings.LPSE_BACKUP_PUBLIC_KEY_FILE).read_bytes())
    try:
        run, _data = run_backup(
            target,
            trigger=Trigger.SCHEDULE,
            label=settings.LPSE_BACKUP_LABEL or None,
            public_key=public_key,
            show_progress=False,
        )
    except BackupError as exc:
        logger.error("Cadangan terjadwal gagal: %s", exc)
        return BackupRun.objects.filter(trigger=Trigger.SCHEDULE).order_by("-started_at").first()
    try:
        verify(target, run.backup_id, show_progress=False)
        retention.prune(target, retention.parse_keep(settings.LPSE_BACKUP_KEEP))
    except BackupError as exc:
        logger.error("Pemeriksaan atau pembersihan cadangan %s gagal: %s", run.backup_id, exc)
    run.refresh_from_db()
    return run
