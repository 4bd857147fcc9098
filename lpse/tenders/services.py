"""Writes of a tender's lifecycle: create, edit the draft, schedule, committee, documents,
announce, cancel, close (BID-1, BID-6).

Every function takes the acting user as `by`, runs in one transaction, writes a
`TenderTransition` row for each state change and records an audit event last.
E-mails to participants leave through the task queue after commit. Services
accept `at` (default: now) so that `lpse demo` can build tenders whose stages
lie in the past; views never pass it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.audit.services import record, snapshot
from lpse.vendors.uploads import store_upload

from . import schedule as rules
from .choices import (
    AnnouncementKind,
    DocumentKind,
    StageKind,
    TenderStatus,
    TransitionKind,
    can_move,
)
from .models import (
    Announcement,
    CodeCounter,
    CommitteeMember,
    Stage,
    Tender,
    TenderDocument,
    TenderTransition,
)

TENDER_FIELDS = [
    "code",
    "name",
    "work_unit",
    "budget_year",
    "ceiling",
    "hps",
    "method",
    "category",
    "qualification",
    "qualification_requirements",
    "location",
    "description",
    "status",
    "ppk",
    "announced_at",
    "closed_at",
    "cancelled_at",
    "cancel_reason",
]
EDITABLE_FIELDS = [
    "name",
    "work_unit",
    "budget_year",
    "ceiling",
    "hps",
    "method",
    "category",
    "qualification",
    "qualification_requirements",
    "location",
    "description",
    "ppk",
]


class TenderError(Exception):
    """A refused action; `message` is Indonesian, for the user. Nothing was changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ScheduleInvalid(TenderError):
    """The schedule breaks rules; `problems` lists each, by stage."""

    def __init__(self, problems: list[rules.Problem]):
        super().__init__(" ".join(problem.message for problem in problems))
        self.problems = problems


# --- helpers ---------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def lock(tender: Tender) -> Tender:
    """The tender row locked for the rest of the transaction, stages prefetched."""
    locked = Tender.objects.select_for_update().get(pk=tender.pk)
    return Tender.objects.prefetch_related("stages").get(pk=locked.pk)


def transition(
    tender: Tender,
    kind: str,
    from_state: str,
    to_state: str,
    *,
    by,
    at: datetime,
    note: str = "",
    object_id: int | None = None,
) -> TenderTransition:
    return TenderTransition.objects.create(
        tender=tender,
        kind=kind,
        object_id=object_id,
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=at,
        note=note,
    )


def is_member(tender: Tender, user) -> bool:
    return CommitteeMember.objects.filter(tender=tender, user=user).exists()


def require_member(tender: Tender, user) -> None:
    if not (user.is_superuser or is_member(tender, user)):
        raise TenderError(gettext("Hanya anggota Pokja tender ini yang dapat melakukannya."))


def notify_participants(
    tender: Tender, template: str, context: dict, *, only: Iterable | None = None
) -> int:
    """E-mail every participant's company address after commit (one task per vendor)."""
    from lpse.vendors.tasks import send_vendor_email

    participants = tender.participants.select_related("vendor") if only is None else list(only)
    base = {
        "tender": tender,
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
        "site_url": settings.SITE_URL,
    } | context
    count = 0
    for participant in participants:
        data = base | {"vendor": participant.vendor}
        subject = " ".join(render_to_string(f"tenders/email/{template}_subject.txt", data).split())
        text = render_to_string(f"tenders/email/{template}_body.txt", data)
        html = render_to_string("tenders/email/body.html", data | {"text": text})
        address = participant.vendor.email
        transaction.on_commit(
            lambda s=subject, t=text, h=html, a=address: send_vendor_email(s, t, h, a)
        )
        count += 1
    return count


def next_tender_code() -> str:
    """The next free tender code; a counter row locked for the transaction."""
    with transaction.atomic():
        counter, _created = CodeCounter.objects.select_for_update().get_or_create(
            key="tender", defaults={"value": settings.LPSE_TENDER_CODE_START - 1}
        )
        counter.value += 1
        while Tender.objects.filter(code=str(counter.value)).exists():
            counter.value += 1
        counter.save(update_fields=["value"])
        return str(counter.value)


def _check_people(data: dict) -> None:
    ppk = data.get("ppk")
    if ppk is not None and not ppk.has_role(Role.PPK):
        raise TenderError(gettext("PPK harus pengguna dengan peran PPK."), "ppk")
    ceiling, hps = data.get("ceiling"), data.get("hps")
    if ceiling is not None and hps is not None and hps > ceiling:
        raise TenderError(gettext("Nilai HPS tidak boleh melebihi nilai pagu paket."), "hps")


# --- create and edit the draft ----------------------------------------------------------------


@transaction.atomic
def create_tender(
    data: dict, *, by, accept_pact: bool = False, at: datetime | None = None, request=None
) -> Tender:
    """A new draft tender; its creator is the chair of its Pokja and, with `accept_pact`,
    accepts the integrity pact for it at once (BID-1)."""
    at = _now(at)
    _check_people(data)
    tender = Tender.objects.create(
        code=next_tender_code(),
        created_by=by,
        created_at=at,
        is_demo=bool(getattr(by, "is_demo", False)),
        **{name: data.get(name) for name in EDITABLE_FIELDS if name in data},
    )
    CommitteeMember.objects.create(
        tender=tender,
        user=by,
        is_chair=True,
        added_at=at,
        pact_version=settings.LPSE_INTEGRITY_PACT_VERSION if accept_pact else "",
        pact_accepted_at=at if accept_pact else None,
    )
    transition(tender, TransitionKind.STATUS, "", TenderStatus.DRAFT, by=by, at=at)
    record(
        "tenders.create",
        actor=by,
        target=tender,
        after=snapshot(tender, TENDER_FIELDS),
        summary=f"Tender {tender.code} dibuat: {tender.name}"[:500],
        request=request,
    )
    return tender


@transaction.atomic
def update_tender(tender: Tender, data: dict, *, by, request=None) -> Tender:
    """Edit a draft; an announced tender changes only through addenda and schedule changes."""
    locked = lock(tender)
    require_member(locked, by)
    if locked.status != TenderStatus.DRAFT:
        raise TenderError(gettext("Hanya tender berstatus draf yang dapat diubah."))
    _check_people(data)
    before = snapshot(locked, TENDER_FIELDS)
    changed = [name for name in EDITABLE_FIELDS if name in data]
    new_ppk = "ppk" in data and getattr(data["ppk"], "pk", None) != locked.ppk_id
    for name in changed:
        setattr(locked, name, data[name])
    if new_ppk:  # a newly assigned PPK accepts the integrity pact anew
        locked.ppk_pact_version, locked.ppk_pact_accepted_at = "", None
        changed += ["ppk_pact_version", "ppk_pact_accepted_at"]
    locked.save(update_fields=changed)
    record(
        "tenders.update",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, TENDER_FIELDS),
        summary=f"Tender {locked.code} diubah"[:500],
        request=request,
    )
    return locked


@transaction.atomic
def save_schedule(tender: Tender, rows: list[rules.Row], *, by, request=None) -> Tender:
    """Set the whole schedule of a draft; the rules are checked first (BID-1)."""
    locked = lock(tender)
    require_member(locked, by)
    if locked.status != TenderStatus.DRAFT:
        raise TenderError(
            gettext(
                "Jadwal tender yang sudah diumumkan hanya dapat diubah melalui permohonan "
                "perubahan jadwal."
            )
        )
    problems = rules.validate_schedule(rows, method=locked.method)
    if problems:
        raise ScheduleInvalid(problems)
    before = rules.to_json(rules.rows_of(locked.stages.all()))
    write_stages(locked, rows)
    record(
        "tenders.schedule_save",
        actor=by,
        target=locked,
        before={"schedule": before},
        after={"schedule": rules.to_json(rows)},
        summary=f"Jadwal tender {locked.code} disimpan",
        request=request,
    )
    return locked


def write_stages(tender: Tender, rows: list[rules.Row]) -> None:
    """Replace the tender's stage times with `rows` (inside the caller's transaction)."""
    existing = {stage.kind: stage for stage in Stage.objects.filter(tender=tender)}
    for row in rows:
        stage = existing.get(row.kind)
        if stage is None:
            Stage.objects.create(
                tender=tender, kind=row.kind, starts_at=row.starts_at, ends_at=row.ends_at
            )
        elif (stage.starts_at, stage.ends_at) != (row.starts_at, row.ends_at):
            stage.starts_at, stage.ends_at = row.starts_at, row.ends_at
            stage.save(update_fields=["starts_at", "ends_at"])


# --- committee ---------------------------------------------------------------------------------


@transaction.atomic
def add_member(tender: Tender, user, *, by, request=None) -> CommitteeMember:
    locked = lock(tender)
    require_member(locked, by)
    if locked.status in (TenderStatus.CLOSED, TenderStatus.CANCELLED):
        raise TenderError(gettext("Tender sudah selesai atau batal."))
    if not user.has_role(Role.COMMITTEE):
        raise TenderError(gettext("Anggota Pokja harus pengguna dengan peran Pokja."), "user")
    if CommitteeMember.objects.filter(tender=locked, user=user).exists():
        raise TenderError(gettext("Pengguna ini sudah anggota Pokja tender ini."), "user")
    member = CommitteeMember.objects.create(tender=locked, user=user)
    transition(
        locked, TransitionKind.MEMBER, "", "added", by=by, at=member.added_at, object_id=user.pk
    )
    record(
        "tenders.member_add",
        actor=by,
        target=locked,
        after={"member": user.pk, "username": user.get_username()},
        summary=f"{user.get_username()} menjadi anggota Pokja tender {locked.code}",
        request=request,
    )
    return member


@transaction.atomic
def remove_member(tender: Tender, user, *, by, request=None) -> None:
    locked = lock(tender)
    require_member(locked, by)
    member = CommitteeMember.objects.filter(tender=locked, user=user).first()
    if member is None:
        raise TenderError(gettext("Pengguna ini bukan anggota Pokja tender ini."))
    if member.is_chair:
        raise TenderError(gettext("Ketua Pokja tidak dapat dikeluarkan."))
    member.delete()
    transition(
        locked,
        TransitionKind.MEMBER,
        "added",
        "removed",
        by=by,
        at=timezone.now(),
        object_id=user.pk,
    )
    record(
        "tenders.member_remove",
        actor=by,
        target=locked,
        before={"member": user.pk, "username": user.get_username()},
        summary=f"{user.get_username()} dikeluarkan dari Pokja tender {locked.code}",
        request=request,
    )


# --- integrity pact (BID-1) ---------------------------------------------------------------


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


def pact_pending(tender: Tender) -> list[str]:
    """Names of the Pokja members and the PPK who have not accepted the integrity pact."""
    names = [
        _display(member.user)
        for member in tender.members.select_related("user").filter(pact_accepted_at__isnull=True)
    ]
    if tender.ppk_id and tender.ppk_pact_accepted_at is None:
        names.append(_display(tender.ppk) + " (PPK)")
    return names


@transaction.atomic
def accept_pact(tender: Tender, *, by, at: datetime | None = None, request=None) -> Tender:
    """A Pokja member or the tender's PPK accepts the integrity pact; time and version kept."""
    at = _now(at)
    locked = lock(tender)
    version = settings.LPSE_INTEGRITY_PACT_VERSION
    member = CommitteeMember.objects.filter(tender=locked, user=by).first()
    if member is not None and member.pact_accepted_at is None:
        member.pact_version, member.pact_accepted_at = version, at
        member.save(update_fields=["pact_version", "pact_accepted_at"])
        role = "pokja"
    elif locked.ppk_id == by.pk and locked.ppk_pact_accepted_at is None:
        locked.ppk_pact_version, locked.ppk_pact_accepted_at = version, at
        locked.save(update_fields=["ppk_pact_version", "ppk_pact_accepted_at"])
        role = "ppk"
    elif member is not None or locked.ppk_id == by.pk:
        raise TenderError(gettext("Anda sudah menyetujui Pakta Integritas tender ini."))
    else:
        raise TenderError(gettext("Hanya anggota Pokja dan PPK tender ini yang menyetujuinya."))
    transition(locked, TransitionKind.PACT, "", role, by=by, at=at, note=version)
    record(
        "tenders.pact_accept",
        actor=by,
        target=locked,
        after={"role": role, "version": version, "accepted_at": at.isoformat()},
        summary=f"Pakta Integritas tender {locked.code} disetujui ({role})",
        request=request,
    )
    return locked


# --- documents ----------------------------------------------------------------------------------


def upload_document(
    tender: Tender, uploaded, *, title: str, kind: str, by, at=None, request=None
) -> TenderDocument:
    """Store the tender document or an addendum (checked like every upload, SEC-3).

    An addendum is for an announced tender before bid upload ends; it is announced and
    e-mailed to every participant.
    """
    at = _now(at)
    title = (title or "").strip()
    if not title:
        raise TenderError(gettext("Judul dokumen wajib diisi."), "title")
    require_member(tender, by)
    _check_document_allowed(tender, kind, at)
    stored = store_upload(uploaded)  # slow I/O outside the lock
    with transaction.atomic():
        locked = lock(tender)
        _check_document_allowed(locked, kind, at)
        document = TenderDocument.objects.create(
            tender=locked,
            kind=kind,
            title=title[:300],
            original_name=(getattr(uploaded, "name", "") or "dokumen")[:255],
            stored_name=stored.stored_name,
            size=stored.size,
            detected_type=stored.detected_type,
            mime_type=stored.mime_type,
            md5=stored.md5,
            sha256=stored.sha256,
            uploaded_by=by,
            uploaded_at=at,
        )
        transition(locked, TransitionKind.DOCUMENT, "", kind, by=by, at=at, object_id=document.pk)
        if kind == DocumentKind.ADDENDUM:
            Announcement.objects.create(
                tender=locked,
                kind=AnnouncementKind.ADDENDUM,
                title=gettext("Adendum: %(title)s") % {"title": document.title},
                body=gettext("Adendum dokumen pemilihan diunggah: %(title)s (SHA-256 %(sha)s).")
                % {"title": document.title, "sha": document.sha256},
                published_at=at,
                published_by=by,
            )
            notify_participants(locked, "addendum", {"document": document})
        record(
            "tenders.document_upload",
            actor=by,
            target=locked,
            after=snapshot(document, ["kind", "title", "original_name", "size", "md5", "sha256"]),
            summary=f"Dokumen {document.title} tender {locked.code} diunggah"[:500],
            request=request,
        )
    return document


def _check_document_allowed(tender: Tender, kind: str, at: datetime) -> None:
    if kind == DocumentKind.TENDER_DOCUMENT:
        if tender.status != TenderStatus.DRAFT:
            raise TenderError(
                gettext(
                    "Dokumen pemilihan diunggah sebelum pengumuman; sesudahnya perubahan "
                    "dokumen berupa adendum."
                )
            )
        return
    if tender.status != TenderStatus.ANNOUNCED:
        raise TenderError(gettext("Adendum hanya untuk tender yang sedang berjalan."))
    upload = tender.stage(StageKind.BID_UPLOAD)
    if upload is not None and at >= upload.ends_at:
        raise TenderError(
            gettext("Adendum tidak dapat diunggah setelah tahap upload penawaran berakhir.")
        )


# --- announce, cancel, close ----------------------------------------------------------------------


@transaction.atomic
def announce_tender(tender: Tender, *, by, at: datetime | None = None, request=None) -> Tender:
    """Publish a complete draft: valid schedule not yet over, a tender document, a PPK."""
    at = _now(at)
    locked = lock(tender)
    require_member(locked, by)
    if not can_move(locked.status, TenderStatus.ANNOUNCED):
        raise TenderError(gettext("Tender ini tidak berstatus draf."))
    missing = []
    if locked.ppk_id is None:
        missing.append(gettext("PPK belum ditetapkan."))
    if not locked.documents.filter(kind=DocumentKind.TENDER_DOCUMENT).exists():
        missing.append(gettext("Dokumen pemilihan belum diunggah."))
    pending = pact_pending(locked)
    if pending:
        missing.append(
            gettext("Pakta Integritas belum disetujui oleh: %(names)s.")
            % {"names": ", ".join(pending)}
        )
    rows = rules.rows_of(locked.stages.all())
    problems = rules.validate_schedule(rows, method=locked.method)
    missing.extend(problem.message for problem in problems)
    if not problems:
        announcement = rows[0]
        if announcement.ends_at <= at:
            missing.append(
                gettext("Tahap Pengumuman sudah berakhir (%(end)s); perbaiki jadwal dahulu.")
                % {"end": rules.wib(announcement.ends_at)}
            )
    if missing:
        raise TenderError(" ".join(missing))
    before = snapshot(locked, TENDER_FIELDS)
    locked.status, locked.announced_at = TenderStatus.ANNOUNCED, at
    locked.save(update_fields=["status", "announced_at"])
    Announcement.objects.create(
        tender=locked,
        kind=AnnouncementKind.ANNOUNCEMENT,
        title=gettext("Pengumuman tender %(code)s") % {"code": locked.code},
        body=locked.description or locked.name,
        published_at=at,
        published_by=by,
    )
    transition(
        locked, TransitionKind.STATUS, TenderStatus.DRAFT, TenderStatus.ANNOUNCED, by=by, at=at
    )
    record(
        "tenders.announce",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, TENDER_FIELDS) | {"schedule": rules.to_json(rows)},
        summary=f"Tender {locked.code} diumumkan"[:500],
        request=request,
    )
    return locked


@transaction.atomic
def cancel_tender(
    tender: Tender, reason: str, *, by, at: datetime | None = None, request=None
) -> Tender:
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise TenderError(gettext("Alasan pembatalan wajib diisi."), "reason")
    locked = lock(tender)
    require_member(locked, by)
    if not can_move(locked.status, TenderStatus.CANCELLED):
        raise TenderError(gettext("Tender yang sudah selesai atau batal tidak dapat dibatalkan."))
    before = snapshot(locked, TENDER_FIELDS)
    previous = locked.status
    locked.status = TenderStatus.CANCELLED
    locked.cancelled_at = locked.closed_at = at
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancelled_at", "closed_at", "cancel_reason"])
    if previous == TenderStatus.ANNOUNCED:
        Announcement.objects.create(
            tender=locked,
            kind=AnnouncementKind.CLOSED,
            title=gettext("Tender %(code)s dibatalkan") % {"code": locked.code},
            body=reason,
            published_at=at,
            published_by=by,
        )
        notify_participants(locked, "cancelled", {"reason": reason})
    transition(
        locked, TransitionKind.STATUS, previous, TenderStatus.CANCELLED, by=by, at=at, note=reason
    )
    record(
        "tenders.cancel",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, TENDER_FIELDS),
        summary=f"Tender {locked.code} dibatalkan: {reason}"[:500],
        request=request,
    )
    return locked


@transaction.atomic
def close_tender(tender: Tender, *, by, at: datetime | None = None, request=None) -> Tender:
    """Close a tender after its objection stage: winner announced, every objection answered."""
    at = _now(at)
    locked = lock(tender)
    require_member(locked, by)
    if not can_move(locked.status, TenderStatus.CLOSED):
        raise TenderError(gettext("Hanya tender yang sedang berjalan yang dapat ditutup."))
    objection = locked.stage(StageKind.OBJECTION)
    if objection is None or at < objection.ends_at:
        raise TenderError(
            gettext("Tender baru dapat ditutup setelah Masa Sanggah berakhir (%(end)s).")
            % {"end": rules.wib(objection.ends_at) if objection else "-"}
        )
    winner = locked.participants.filter(is_winner=True).select_related("vendor").first()
    if winner is None:
        raise TenderError(gettext("Pemenang belum diumumkan."))
    if locked.objections.filter(answered_at__isnull=True).exists():
        raise TenderError(gettext("Masih ada sanggahan yang belum dijawab."))
    before = snapshot(locked, TENDER_FIELDS)
    locked.status, locked.closed_at = TenderStatus.CLOSED, at
    locked.save(update_fields=["status", "closed_at"])
    Announcement.objects.create(
        tender=locked,
        kind=AnnouncementKind.CLOSED,
        title=gettext("Tender %(code)s selesai") % {"code": locked.code},
        body=gettext("Pemenang: %(vendor)s.") % {"vendor": winner.vendor.name},
        published_at=at,
        published_by=by,
    )
    transition(
        locked, TransitionKind.STATUS, TenderStatus.ANNOUNCED, TenderStatus.CLOSED, by=by, at=at
    )
    notify_participants(locked, "closed", {"winner": winner})
    record(
        "tenders.close",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, TENDER_FIELDS),
        summary=f"Tender {locked.code} selesai"[:500],
        request=request,
    )
    return locked
