"""Writes of the core app: local closures of the working calendar (SOP-4)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lpse.audit.services import record, snapshot

from . import calendar
from .models import Closure

CLOSURE_FIELDS = ["date", "name"]


def closure_problem(day: date) -> str | None:
    """Why `day` cannot become a local closure, or None (shared with the form)."""
    if Closure.objects.filter(date=day).exists():
        return _("Tanggal ini sudah tercatat sebagai hari tutup layanan.")
    if day.weekday() >= 5:
        return _("Tanggal ini hari Sabtu atau Minggu, sudah bukan hari kerja.")
    national = calendar.national_holidays(day.year).get(day)
    if national:
        return _("Tanggal ini sudah hari libur nasional: %(name)s.") % {"name": national}
    return None


@transaction.atomic
def add_closure(*, day: date, name: str, by, request=None) -> Closure:
    """Close the LPSE on `day`: deadlines counted in working days skip it from now on."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Keterangan wajib diisi.")})
    problem = closure_problem(day)
    if problem:
        raise ValidationError({"date": problem})
    closure = Closure.objects.create(date=day, name=name, created_by=by)
    record(
        "core.closure_add",
        actor=by,
        target=closure,
        after=snapshot(closure, CLOSURE_FIELDS),
        summary=_("Hari tutup layanan ditambahkan: %(closure)s") % {"closure": closure},
        request=request,
    )
    return closure


@transaction.atomic
def remove_closure(closure: Closure, *, by, request=None) -> None:
    """Open the LPSE again on a day that was closed."""
    closure = Closure.objects.select_for_update().get(pk=closure.pk)
    before = snapshot(closure, CLOSURE_FIELDS)
    pk = closure.pk
    closure.delete()
    closure.pk = pk  # the event still names the removed row
    record(
        "core.closure_remove",
        actor=by,
        target=closure,
        before=before,
        summary=_("Hari tutup layanan dihapus: %(closure)s") % {"closure": closure},
        request=request,
    )
