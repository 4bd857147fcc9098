"""Server-room access: request, decision, entry and exit (INF-1, Pasal 11(4))."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.audit.services import record, snapshot

from . import selectors
from .choices import VisitStatus, can_move_visit
from .models import VisitRequest, VisitTransition

VISIT_FIELDS = [
    "visitor",
    "visitor_name",
    "identity_type",
    "identity_number",
    "organisation",
    "purpose",
    "planned_start",
    "planned_end",
    "status",
    "decided_by",
    "decision_reason",
    "entered_at",
    "left_at",
]


class VisitError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _move(visit: VisitRequest, new: str, *, by, note: str = "") -> str:
    old = visit.status
    if not can_move_visit(old, new):
        raise VisitError(
            _("Permohonan berstatus %(status)s tidak dapat diubah begitu.")
            % {"status": visit.get_status_display()}
        )
    visit.status = new
    VisitTransition.objects.create(visit=visit, from_status=old, to_status=new, by=by, note=note)
    return old


@transaction.atomic
def request_visit(
    *,
    visitor=None,
    visitor_name: str,
    identity_type: str,
    identity_number: str,
    organisation: str,
    purpose: str,
    planned_start: datetime,
    planned_end: datetime,
    by,
    request=None,
) -> VisitRequest:
    """File a request to enter the server room, for oneself (`visitor`) or an outsider."""
    if planned_end <= planned_start:
        raise VisitError(_("Rencana selesai harus sesudah rencana masuk."))
    visit = VisitRequest.objects.create(
        visitor=visitor,
        visitor_name=(visitor_name or (visitor.get_full_name() or visitor.username)).strip(),
        identity_type=identity_type,
        identity_number=identity_number.strip(),
        organisation=organisation.strip(),
        purpose=purpose.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        requested_by=by,
    )
    VisitTransition.objects.create(visit=visit, to_status=VisitStatus.REQUESTED, by=by)
    record(
        "facility.visit_requested",
        actor=by,
        target=visit,
        after=snapshot(visit, VISIT_FIELDS),
        summary=_("Permohonan masuk ruang server untuk %(name)s") % {"name": visit.visitor_name},
        request=request,
    )
    return visit


@transaction.atomic
def decide_visit(visit: VisitRequest, *, approve: bool, reason: str, by, request=None):
    """The authorised official approves or refuses; never on their own request."""
    visit = VisitRequest.objects.select_for_update().get(pk=visit.pk)
    if by.pk in (visit.requested_by_id, visit.visitor_id):
        raise VisitError(_("Anda tidak dapat memutuskan permohonan Anda sendiri."))
    if not selectors.can_decide(by, visit):
        raise VisitError(_("Anda tidak berwenang memutuskan permohonan ini."))
    if not approve and not reason.strip():
        raise VisitError(_("Tuliskan alasan penolakan."))
    before = snapshot(visit, VISIT_FIELDS)
    _move(visit, VisitStatus.APPROVED if approve else VisitStatus.REFUSED, by=by, note=reason)
    visit.decided_by = by
    visit.decided_at = timezone.now()
    visit.decision_reason = reason.strip()
    visit.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(
        "facility.visit_approved" if approve else "facility.visit_refused",
        actor=by,
        target=visit,
        before=before,
        after=snapshot(visit, VISIT_FIELDS),
        summary=(
            _("Kunjungan ruang server %(name)s disetujui")
            if approve
            else _("Kunjungan ruang server %(name)s ditolak")
        )
        % {"name": visit.visitor_name},
        request=request,
    )
    return visit


@transaction.atomic
def record_entry(visit: VisitRequest, *, by, at: datetime | None = None, request=None):
    """The guard lets an approved visitor in."""
    visit = VisitRequest.objects.select_for_update().get(pk=visit.pk)
    if not selectors.can_guard(by, visit):
        raise VisitError(_("Anda tidak berwenang mencatat masuk/keluar ruang server."))
    before = snapshot(visit, VISIT_FIELDS)
    _move(visit, VisitStatus.INSIDE, by=by)
    visit.entered_at = at or timezone.now()
    visit.entry_by = by
    visit.save(update_fields=["status", "entered_at", "entry_by"])
    record(
        "facility.visit_entered",
        actor=by,
        target=visit,
        before=before,
        after=snapshot(visit, VISIT_FIELDS),
        summary=_("%(name)s masuk ruang server") % {"name": visit.visitor_name},
        request=request,
    )
    return visit


@transaction.atomic
def record_exit(visit: VisitRequest, *, by, at: datetime | None = None, request=None):
    """The guard records that the visitor left the room."""
    visit = VisitRequest.objects.select_for_update().get(pk=visit.pk)
    if not selectors.can_guard(by, visit):
        raise VisitError(_("Anda tidak berwenang mencatat masuk/keluar ruang server."))
    at = at or timezone.now()
    if visit.entered_at and at < visit.entered_at:
        raise VisitError(_("Waktu keluar tidak boleh sebelum waktu masuk."))
    before = snapshot(visit, VISIT_FIELDS)
    _move(visit, VisitStatus.LEFT, by=by)
    visit.left_at = at
    visit.exit_by = by
    visit.save(update_fields=["status", "left_at", "exit_by"])
    record(
        "facility.visit_left",
        actor=by,
        target=visit,
        before=before,
        after=snapshot(visit, VISIT_FIELDS),
        summary=_("%(name)s keluar dari ruang server") % {"name": visit.visitor_name},
        request=request,
    )
    return visit


@transaction.atomic
def cancel_visit(visit: VisitRequest, *, by, request=None):
    """The requester withdraws a request that nobody has used yet."""
    visit = VisitRequest.objects.select_for_update().get(pk=visit.pk)
    if by.pk != visit.requested_by_id:
        raise VisitError(_("Hanya pemohon yang dapat membatalkan permohonan."))
    before = snapshot(visit, VISIT_FIELDS)
    _move(visit, VisitStatus.CANCELLED, by=by)
    visit.save(update_fields=["status"])
    record(
        "facility.visit_cancelled",
        actor=by,
        target=visit,
        before=before,
        after=snapshot(visit, VISIT_FIELDS),
        summary=_("Permohonan masuk ruang server %(name)s dibatalkan")
        % {"name": visit.visitor_name},
        request=request,
    )
    return visit
