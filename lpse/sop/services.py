"""Writes of the SOP app: the registry (SOP-1) and case step timing (SOP-2).

Every function is atomic and appends an audit event in the same transaction
(AUD-1). Case services lock the case row (`select_for_update`) so two people
acting on one case at once are serialised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.audit.services import record, snapshot

from . import content as docs
from .choices import CaseStatus, can_move
from .models import Case, Procedure, ProcedureRevision, Step, StepRun

DATA_DIR = Path(__file__).resolve().parent / "data"

CASE_FIELDS = ["procedure", "title", "status", "opened_at", "closed_at", "outcome"]
RUN_FIELDS = ["case", "step", "started_at", "ended_at", "due_at", "note"]


# --- Errors ---------------------------------------------------------------------------


class CaseError(ValueError):
    """A case service refused the request; `str(error)` is the Indonesian message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownProcedure(CaseError):
    pass


class UnknownStep(CaseError):
    pass


class CaseClosed(CaseError):
    pass


class StepNotRunning(CaseError):
    pass


class StepAlreadyRunning(CaseError):
    pass


class InvalidMoment(CaseError):
    pass


# --- Registry -------------------------------------------------------------------------


def _sync_steps(procedure: Procedure, steps: list[dict]) -> None:
    """Make the stored steps match `steps` (matched by number), keeping used steps."""
    existing = {step.number: step for step in procedure.steps.all()}
    wanted = {step["number"] for step in steps}
    removed = [number for number in existing if number not in wanted]
    used = set(
        StepRun.objects.filter(step__procedure=procedure, step__number__in=removed)
        .values_list("step__number", flat=True)
        .distinct()
    )
    if used:
        raise ValidationError(
            gettext("Langkah %(numbers)s sudah dipakai dalam kasus dan tidak dapat dihapus.")
            % {"numbers": ", ".join(str(number) for number in sorted(used))}
        )
    Step.objects.filter(procedure=procedure, number__in=removed).delete()
    for data in steps:
        step = existing.get(data["number"]) or Step(procedure=procedure, number=data["number"])
        for name, value in docs.step_values(data).items():
            setattr(step, name, value)
        step.apply_standard()
        step.save()


def _create_procedure(data: dict, *, note: str, by=None) -> Procedure:
    procedure = Procedure(code=data["code"], revision=1, updated_by=by)
    for name, value in docs.header_values(data).items():
        setattr(procedure, name, value)
    procedure.save()
    _sync_steps(procedure, data["steps"])
    ProcedureRevision.objects.create(
        procedure=procedure,
        number=1,
        content=docs.procedure_content(procedure),
        created_by=by,
        note=note,
    )
    return procedure


@dataclass(frozen=True)
class LoadResult:
    code: str
    action: str  # created | unchanged | differs | resynced | kept_revised
    revision: int
    changes: int = 0

    def __str__(self) -> str:
        messages = {
            "created": "dimuat sebagai revisi 1",
            "unchanged": "sama dengan berkas",
            "differs": "berbeda dari berkas ({n} perubahan); jalankan dengan --force untuk"
            " menyamakan",
            "resynced": "disamakan dengan berkas ({n} perubahan)",
            "kept_revised": "sudah direvisi Kepala LPSE (revisi {rev}); tidak ditimpa",
        }
        return f"SOP {self.code}: " + messages[self.action].format(
            n=self.changes, rev=self.revision
        )


def read_procedure_files(directory: Path = DATA_DIR) -> list[dict]:
    """Every `*.yaml` under `directory`, checked and normalised; ContentError names the file."""
    documents = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise docs.ContentError(f"{path.name}: cannot read: {exc}") from exc
        data = docs.normalise(raw, source=path.name)
        if data["code"] in seen:
            raise docs.ContentError(
                f"{path.name}: code {data['code']} is also in {seen[data['code']]}"
            )
        seen[data["code"]] = path.name
        documents.append(data)
    if not documents:
        raise docs.ContentError(f"{directory}: no procedure files (*.yaml)")
    return documents


def load_procedures(directory: Path = DATA_DIR, *, force: bool = False) -> list[LoadResult]:
    """Load the registry from the data files (SOP-1), idempotently.

    A missing procedure is created as revision 1. A procedure still at
    revision 1 that differs from its file is reported, and re-synced only with
    `force` (revision 1 keeps the file's content). A procedure the head has
    revised (revision > 1) is never touched.
    """
    documents = read_procedure_files(directory)
    results = []
    for data in documents:
        with transaction.atomic():
            results.append(_load_one(data, force=force))
    return results


def _load_one(data: dict, *, force: bool) -> LoadResult:
    procedure = Procedure.objects.select_for_update().filter(code=data["code"]).first()
    if procedure is None:
        procedure = _create_procedure(
            data,
            note=gettext("Dimuat dari Lampiran %(regulation)s.")
            % {"regulation": data["regulation"] or "peraturan"},
        )
        record(
            "sop.load",
            actor=None,
            target=procedure,
            after={"code": procedure.code, "revision": 1, "steps": len(data["steps"])},
            summary=f"SOP {procedure.code} dimuat dari berkas data",
        )
        return LoadResult(procedure.code, "created", 1, len(data["steps"]))
    if procedure.revision > 1:
        return LoadResult(procedure.code, "kept_revised", procedure.revision)
    current = docs.procedure_content(procedure)
    changes = docs.diff(current, data)
    if not changes:
        return LoadResult(procedure.code, "unchanged", 1)
    if not force:
        return LoadResult(procedure.code, "differs", 1, len(changes))
    for name, value in docs.header_values(data).items():
        setattr(procedure, name, value)
    procedure.save()
    _sync_steps(procedure, data["steps"])
    ProcedureRevision.objects.filter(procedure=procedure, number=1).update(
        content=docs.procedure_content(procedure)
    )
    before, after = docs.audit_delta(changes)
    record(
        "sop.resync",
        actor=None,
        target=procedure,
        before=before,
        after=after,
        summary=f"SOP {procedure.code} revisi 1 disamakan dengan berkas data",
    )
    return LoadResult(procedure.code, "resynced", 1, len(changes))


@transaction.atomic
def revise_procedure(procedure: Procedure, *, data: dict, note: str, by) -> ProcedureRevision:
    """Save the head's edit of a procedure as a new revision with a full snapshot (SOP-1).

    `data` is a procedure document (see `lpse.sop.content`); the code cannot
    change. Raises ValidationError (Indonesian) for an empty note, a time text
    that does not parse, no change at all, or removing a step already used.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError(gettext("Catatan revisi wajib diisi."))
    try:
        new = docs.normalise({**data, "code": procedure.code})
    except docs.ContentError as exc:
        raise ValidationError(
            gettext("Isi SOP tidak dapat disimpan: %(reason)s") % {"reason": exc}
        ) from None
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = docs.procedure_content(locked)
    changes = docs.diff(current, new)
    if not changes:
        raise ValidationError(gettext("Tidak ada perubahan untuk disimpan."))
    for name, value in docs.header_values(new).items():
        setattr(locked, name, value)
    locked.revision += 1
    locked.updated_by = by
    locked.save()
    _sync_steps(locked, new["steps"])
    revision = ProcedureRevision.objects.create(
        procedure=locked,
        number=locked.revision,
        content=docs.procedure_content(locked),
        created_by=by,
        note=note,
    )
    before, after = docs.audit_delta(changes)
    before["revision"], after["revision"] = locked.revision - 1, locked.revision
    record(
        "sop.revise",
        actor=by,
        target=locked,
        before=before,
        after=after,
        summary=f"SOP {locked.code} revisi {locked.revision}: {note}"[:500],
    )
    procedure.refresh_from_db()
    return revision


# --- Cases and step timing (SOP-2) -----------------------------------------------------


def _moment(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise InvalidMoment(gettext("Waktu harus lengkap dengan zona waktu."))
    return at


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("procedure").get(pk=case.pk)


def _copy_state(target: Case, source: Case) -> None:
    for name in ("status", "closed_at", "closed_by_id", "outcome"):
        setattr(target, name, getattr(source, name))


def _ensure_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseClosed(
            gettext("Kasus %(case)s sudah ditutup; langkahnya tidak dapat diubah.") % {"case": case}
        )


def _step(case: Case, number: int) -> Step:
    try:
        return Step.objects.get(procedure=case.procedure_id, number=number)
    except (Step.DoesNotExist, ValueError, TypeError):
        raise UnknownStep(
            gettext("SOP %(code)s tidak memiliki langkah nomor %(number)s.")
            % {"code": case.procedure.code, "number": number}
        ) from None


@transaction.atomic
def open_case(procedure_code: str, *, subject, by, title: str = "") -> Case:
    """Open a case of `subject` (any saved model instance) following SOP `procedure_code`."""
    try:
        procedure = Procedure.objects.get(code=procedure_code)
    except Procedure.DoesNotExist:
        raise UnknownProcedure(
            gettext("SOP %(code)s tidak ada dalam registri.") % {"code": procedure_code}
        ) from None
    if subject is None or subject.pk is None:
        raise CaseError(gettext("Objek kasus harus sudah tersimpan."))
    case = Case.objects.create(
        procedure=procedure,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=str(subject.pk),
        title=(title or str(subject))[:300],
        opened_at=timezone.now(),
        opened_by=by,
    )
    record(
        "sop.case_open",
        actor=by,
        target=case,
        after=snapshot(case, CASE_FIELDS),
        summary=f"Kasus SOP {procedure.code} dibuka: {case.title}"[:500],
    )
    return case


@transaction.atomic
def start_step(case: Case, number: int, *, by, at: datetime | None = None) -> StepRun:
    """Start step `number` of an open case; its deadline comes from the step's time standard."""
    at = _moment(at)
    locked = _lock(case)
    _ensure_open(locked)
    step = _step(locked, number)
    if StepRun.objects.filter(case=locked, step=step, ended_at__isnull=True).exists():
        raise StepAlreadyRunning(
            gettext("Langkah %(number)s kasus ini sedang berjalan.") % {"number": step.label}
        )
    run = StepRun.objects.create(
        case=locked,
        step=step,
        started_at=at,
        started_by=by,
        due_at=step.standard.due(at),
    )
    record(
        "sop.step_start",
        actor=by,
        target=locked,
        after=snapshot(run, RUN_FIELDS) | {"number": step.number},
        summary=f"Langkah {step.label} SOP {locked.procedure.code} dimulai",
    )
    return run


@transaction.atomic
def finish_step(
    case: Case, number: int, *, by, at: datetime | None = None, note: str = ""
) -> StepRun:
    """Finish the running run of step `number`."""
    at = _moment(at)
    locked = _lock(case)
    _ensure_open(locked)
    step = _step(locked, number)
    run = (
        StepRun.objects.select_for_update()
        .filter(case=locked, step=step, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if run is None:
        raise StepNotRunning(
            gettext("Langkah %(number)s kasus ini tidak sedang berjalan.") % {"number": step.label}
        )
    if at < run.started_at:
        raise InvalidMoment(gettext("Waktu selesai tidak boleh sebelum waktu mulai."))
    before = snapshot(run, RUN_FIELDS)
    run.ended_at, run.ended_by, run.note = at, by, note
    run.save(update_fields=["ended_at", "ended_by", "note"])
    record(
        "sop.step_finish",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(run, RUN_FIELDS)
        | {"number": step.number, "within_standard": run.within_standard},
        summary=f"Langkah {step.label} SOP {locked.procedure.code} selesai",
    )
    return run


@transaction.atomic
def close_case(case: Case, *, by, outcome: str, at: datetime | None = None) -> Case:
    """Close a case with its outcome; steps still running end at the same moment."""
    at = _moment(at)
    outcome = (outcome or "").strip()
    if not outcome:
        raise CaseError(gettext("Hasil kasus wajib diisi."))
    locked = _lock(case)
    if not can_move(locked.status, CaseStatus.CLOSED):
        _ensure_open(locked)
    before = snapshot(locked, CASE_FIELDS)
    running = list(StepRun.objects.select_for_update().filter(case=locked, ended_at__isnull=True))
    for run in running:
        run.ended_at = max(at, run.started_at)
        run.ended_by = by
        run.note = gettext("Diakhiri saat kasus ditutup.")
        run.save(update_fields=["ended_at", "ended_by", "note"])
    locked.status = CaseStatus.CLOSED
    locked.closed_at, locked.closed_by, locked.outcome = at, by, outcome[:300]
    locked.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    record(
        "sop.case_close",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, CASE_FIELDS) | {"ended_runs": [run.pk for run in running]},
        summary=f"Kasus SOP {locked.procedure.code} ditutup: {outcome}"[:500],
    )
    _copy_state(case, locked)
    return case
