"""Support access grants (ERR-4): given and revoked by the vendor, used and audited by staff."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from lpse.audit.services import record, snapshot

from .choices import GrantScope
from .services import DeskError
from .support import SupportAction, SupportGrant

GRANT_FIELDS = ["vendor", "ticket", "scope", "granted_by", "granted_at", "expires_at", "revoked_at"]


@transaction.atomic
def grant_access(
    vendor, *, by, scope: str = GrantScope.READ, hours: int | None = None, ticket=None, request=None
) -> SupportGrant:
    """The vendor lets LPSE staff look at (or try uploads on) its company data for `hours`."""
    hours = settings.LPSE_SUPPORT_GRANT_HOURS if hours is None else hours
    if not 1 <= hours <= settings.LPSE_SUPPORT_GRANT_MAX_HOURS:
        raise DeskError(
            gettext_lazy("Lama akses harus 1 sampai %(max)d jam."),
            {"max": settings.LPSE_SUPPORT_GRANT_MAX_HOURS},
        )
    if scope not in GrantScope.values:
        raise DeskError(gettext_lazy("Cakupan akses tidak dikenal."))
    if ticket is not None and ticket.vendor_id != vendor.pk:
        raise DeskError(gettext_lazy("Tiket itu bukan milik perusahaan Anda."))
    now = timezone.now()
    grant = SupportGrant.objects.create(
        vendor=vendor,
        ticket=ticket,
        scope=scope,
        granted_by=by,
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    record(
        "desk.support_grant",
        actor=by,
        target=grant,
        after=snapshot(grant, GRANT_FIELDS),
        summary=f"{vendor.name} memberi akses dukungan ({grant.get_scope_display()}, {hours} jam)",
        request=request,
    )
    return grant


@transaction.atomic
def revoke(grant: SupportGrant, *, by, request=None) -> SupportGrant:
    locked = SupportGrant.objects.select_for_update().get(pk=grant.pk)
    if not locked.is_active:
        raise DeskError(gettext_lazy("Akses ini sudah berakhir atau sudah dicabut."))
    before = snapshot(locked, GRANT_FIELDS)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(
        "desk.support_revoke",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, GRANT_FIELDS),
        summary=f"Akses dukungan untuk {locked.vendor.name} dicabut",
        request=request,
    )
    return locked


@transaction.atomic
def log_action(grant: SupportGrant, *, by, action: str, description: str, request=None):
    """One staff action under a grant: shown to the vendor and in the audit chain."""
    if not grant.is_active:
        raise DeskError(
            gettext_lazy("Akses dukungan ini sudah berakhir atau dicabut oleh penyedia.")
        )
    item = SupportAction.objects.create(
        grant=grant, actor=by, action=action, description=description[:300]
    )
    record(
        f"desk.support_{action}",
        actor=by,
        target=grant,
        after={"action": action, "description": item.description},
        summary=f"Akses dukungan {grant.vendor.name}: {item.description}"[:500],
        request=request,
    )
    return item


def try_upload(grant: SupportGrant, section: str, record_id: int, uploaded, *, by, request=None):
    """Staff reproduce an upload on the vendor's record (grant with upload scope).

    Runs the vendor's own upload service, so the attempt lands in the vendor's
    diagnostics with the staff member as its user; then logs the action. Raises
    UploadRejected after logging when the file is refused.
    """
    from lpse.vendors.company_services import upload_document
    from lpse.vendors.uploads import UploadRejected

    if not grant.is_active:
        raise DeskError(
            gettext_lazy("Akses dukungan ini sudah berakhir atau dicabut oleh penyedia.")
        )
    if not grant.allows_upload:
        raise DeskError(
            gettext_lazy("Akses ini hanya untuk melihat; penyedia tidak mengizinkan unggah.")
        )
    name = getattr(uploaded, "name", "") or "-"
    try:
        document = upload_document(
            grant.vendor, section, record_id, uploaded, by=by, request=request
        )
    except UploadRejected as rejected:
        log_action(
            grant,
            by=by,
            action="upload_try",
            description=gettext("Mencoba unggah %(name)s: ditolak (%(reason)s)")
            % {"name": name, "reason": rejected.message},
            request=request,
        )
        raise
    log_action(
        grant,
        by=by,
        action="upload_try",
        description=gettext("Mencoba unggah %(name)s: berhasil (versi %(version)d)")
        % {"name": name, "version": document.version},
        request=request,
    )
    return document
