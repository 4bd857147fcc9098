"""Maintenance windows: schedule, end early, cancel (MON-5, Pasal 12(4))."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lpse.audit.services import record, snapshot

from . import selectors
from .choices import WindowStatus
from .models import MaintenanceWindow

WINDOW_FIELDS = [
    "starts_at",
    "ends_at",
    "services",
    "message",
    "read_only",
    "banner_hours",
    "status",
    "overlapping_tenders",
]


class WindowError(Exception):
    """A refused change, with the Indonesian message and the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H.%M WIB")


@transaction.atomic
def schedule_window(
    *,
    starts_at: datetime,
    ends_at: datetime,
    services: str,
    message: str,
    read_only: bool,
    banner_hours: int,
    confirm_overlap: bool,
    by,
    request=None,
) -> MaintenanceWindow:
    """Announce a maintenance window. When it overlaps the end of a tender's bid upload
    stage, the admin must confirm it explicitly (the tenders are kept on the window)."""
    if ends_at <= starts_at:
        raise WindowError(_("Waktu selesai harus sesudah waktu mulai."), "ends_at")
    if ends_at <= timezone.now():
        raise WindowError(_("Waktu selesai sudah lewat."), "ends_at")
    overlaps = selectors.bid_upload_overlaps(starts_at, ends_at)
    if overlaps and not confirm_overlap:
        raise WindowError(
            _(
                "Jadwal ini bertepatan dengan batas akhir upload dokumen penawaran %(n)d tender. "
                "Periksa daftarnya lalu centang konfirmasi untuk tetap menjadwalkan."
            )
            % {"n": len(overlaps)},
            "confirm_overlap",
        )
    window = MaintenanceWindow.objects.create(
        starts_at=starts_at,
        ends_at=ends_at,
        services=services,
        message=message,
        read_only=read_only,
        banner_hours=banner_hours,
        overlapping_tenders=[
            {
                "code": stage.tender.code,
                "name": stage.tender.name,
                "ends_at": stage.ends_at.isoformat(),
            }
            for stage in overlaps
        ],
        created_by=by,
    )
    record(
        "facility.window_scheduled",
        actor=by,
        target=window,
        after=snapshot(window, WINDOW_FIELDS),
        summary=_("Pemeliharaan %(services)s dijadwalkan %(start)s s.d. %(end)s")
        % {"services": services, "start": _local(starts_at), "end": _local(ends_at)},
        request=request,
    )
    return window


@transaction.atomic
def close_window(window: MaintenanceWindow, *, reason: str, by, request=None) -> MaintenanceWindow:
    """Cancel a window that has not started, or end a running one early."""
    window = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
    now = timezone.now()
    if window.status != WindowStatus.SCHEDULED or window.ends_at <= now:
        raise WindowError(_("Jadwal pemeliharaan ini sudah selesai atau dibatalkan."))
    if not reason.strip():
        raise WindowError(_("Tuliskan alasannya."), "reason")
    before = snapshot(window, WINDOW_FIELDS)
    running = window.starts_at <= now
    window.status = WindowStatus.ENDED if running else WindowStatus.CANCELLED
    window.closed_at = now
    window.closed_by = by
    window.close_reason = reason.strip()
    window.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    record(
        "facility.window_ended" if running else "facility.window_cancelled",
        actor=by,
        target=window,
        before=before,
        after={**snapshot(window, WINDOW_FIELDS), "reason": window.close_reason},
        summary=(
            _("Pemeliharaan %(services)s diakhiri lebih awal")
            if running
            else _("Pemeliharaan %(services)s dibatalkan")
        )
        % {"services": window.services},
        request=request,
    )
    return window
