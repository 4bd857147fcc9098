"""E-mail change of a vendor (ERR-2, SOP 3.3 steps 1-3).

1. The vendor files the request with the signed statement letter; a verifier
   confirms the company deed and the director's original KTP were seen (or refuses).
2. The application administrator receives the confirmed request.
3. The administrator applies it: `Vendor.email` and the user's e-mail change
   together; the old and the new address both get a notice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.models import User
from lpse.audit.services import record, snapshot
from lpse.sop import services as sop

from .company import CompanySection, EmailChangeRequest, EmailChangeStatus
from .company_services import upload_document
from .tasks import send_vendor_email

FIELDS = [
    "vendor",
    "old_email",
    "new_email",
    "status",
    "letter",
    "deed_seen",
    "director_ktp_seen",
    "review_note",
    "reviewed_by",
    "applied_by",
    "refusal_reason",
]


class EmailChangeError(ValueError):
    """Refused; `message` is Indonesian, `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def duplicate_email_error(email: str, vendor) -> str | None:
    from .models import Vendor

    email = email.strip().lower()
    if email == (vendor.email or "").lower():
        return gettext("Alamat e-mail baru sama dengan alamat yang sekarang.")
    taken = (
        Vendor.objects.filter(email__iexact=email).exclude(pk=vendor.pk).exists()
        or User.objects.filter(email__iexact=email).exclude(pk=vendor.user_id).exists()
    )
    if taken:
        return gettext(
            "Alamat e-mail %(email)s sudah dipakai oleh penyedia atau pengguna lain."
        ) % {"email": email}
    return None


def _notify(change: EmailChangeRequest, template: str, to: list[str]) -> None:
    context = {
        "change": change,
        "vendor": change.vendor,
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
        "site_url": settings.SITE_URL,
    }
    base = f"vendors/email_change/email/{template}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    text = render_to_string(f"{base}_body.txt", context)
    html = render_to_string(f"{base}_body.html", context)
    for address in dict.fromkeys(to):
        transaction.on_commit(
            lambda address=address: send_vendor_email(subject, text, html, address)
        )


def _lock(change: EmailChangeRequest) -> EmailChangeRequest:
    return EmailChangeRequest.objects.select_for_update().select_related("vendor").get(pk=change.pk)


def request_change(vendor, new_email: str, letter, *, by, request=None) -> EmailChangeRequest:
    """File a request with the statement letter (an UploadedFile). Step 1 starts."""
    new_email = new_email.strip().lower()
    error = duplicate_email_error(new_email, vendor)
    if error:
        raise EmailChangeError(error, "new_email")
    if EmailChangeRequest.objects.filter(
        vendor=vendor,
        status__in=[
            EmailChangeStatus.SUBMITTED,
            EmailChangeStatus.CONFIRMED,
            EmailChangeStatus.RECEIVED,
        ],
    ).exists():
        raise EmailChangeError(
            gettext("Masih ada permohonan perubahan e-mail yang sedang diproses.")
        )
    document = upload_document(
        vendor, CompanySection.EMAIL_CHANGE, vendor.pk, letter, by=by, request=request
    )
    with transaction.atomic():
        change = EmailChangeRequest.objects.create(
            vendor=vendor,
            old_email=vendor.email,
            new_email=new_email,
            letter=document,
            requested_by=by,
        )
        case = change.open_sop_case(by=by, title=f"{vendor.name}: {change}")
        sop.start_step(case, 1, by=by, at=change.requested_at)
        record(
            "vendors.email_change_request",
            actor=by,
            target=change,
            after=snapshot(change, FIELDS),
            summary=f"Permohonan perubahan e-mail {vendor.name}: {change}"[:500],
            request=request,
        )
    return change


@transaction.atomic
def review_change(
    change: EmailChangeRequest,
    *,
    by,
    confirm: bool,
    deed_seen: bool = False,
    director_ktp_seen: bool = False,
    note: str = "",
    request=None,
) -> EmailChangeRequest:
    """The verifier confirms the originals were seen (step 1 ends, step 2 starts) or refuses."""
    change = _lock(change)
    if change.status != EmailChangeStatus.SUBMITTED:
        raise EmailChangeError(gettext("Permohonan ini sudah diperiksa."))
    before = snapshot(change, FIELDS)
    now = timezone.now()
    if confirm and not (deed_seen and director_ktp_seen):
        raise EmailChangeError(
            gettext(
                "Konfirmasi memerlukan akta perusahaan dan KTP asli direktur yang sudah "
                "diperlihatkan. Bila belum, tolak permohonan dengan alasannya."
            )
        )
    if not confirm and not note.strip():
        raise EmailChangeError(gettext("Tuliskan alasan penolakan."), "note")
    change.deed_seen = deed_seen
    change.director_ktp_seen = director_ktp_seen
    change.review_note = note.strip()
    change.reviewed_by = by
    change.reviewed_at = now
    case = change.sop_case
    if confirm:
        change.status = EmailChangeStatus.CONFIRMED
        sop.finish_step(case, 1, by=by, at=now, note=gettext("Dokumen asli diperlihatkan."))
        sop.start_step(case, 2, by=by, at=now)
    else:
        change.status = EmailChangeStatus.REFUSED
        change.refusal_reason = change.review_note
        sop.finish_step(case, 1, by=by, at=now, note=change.review_note[:500])
        sop.close_case(case, by=by, outcome=gettext("Ditolak verifikator"), at=now)
        _notify(change, "refused", [change.old_email])
    change.save()
    record(
        "vendors.email_change_confirm" if confirm else "vendors.email_change_refuse",
        actor=by,
        target=change,
        before=before,
        after=snapshot(change, FIELDS),
        summary=f"Perubahan e-mail {change.vendor.name}: {change.get_status_display()}"[:500],
        request=request,
    )
    return change


@transaction.atomic
def receive_change(change: EmailChangeRequest, *, by, request=None) -> EmailChangeRequest:
    """The administrator receives the confirmed letter (step 2 ends, step 3 starts)."""
    change = _lock(change)
    if change.status != EmailChangeStatus.CONFIRMED:
        raise EmailChangeError(gettext("Permohonan ini belum dikonfirmasi verifikator."))
    before = snapshot(change, FIELDS)
    now = timezone.now()
    change.status = EmailChangeStatus.RECEIVED
    change.received_at = now
    change.save(update_fields=["status", "received_at"])
    case = change.sop_case
    sop.finish_step(case, 2, by=by, at=now)
    sop.start_step(case, 3, by=by, at=now)
    record(
        "vendors.email_change_receive",
        actor=by,
        target=change,
        before=before,
        after=snapshot(change, FIELDS),
        summary=f"Surat pernyataan perubahan e-mail {change.vendor.name} diterima"[:500],
        request=request,
    )
    return change


@transaction.atomic
def apply_change(change: EmailChangeRequest, *, by, request=None) -> EmailChangeRequest:
    """Change Vendor.email and the user's e-mail together; notify both addresses (step 3)."""
    change = _lock(change)
    if change.status != EmailChangeStatus.RECEIVED:
        raise EmailChangeError(gettext("Terima surat pernyataan terlebih dahulu."))
    from .models import Vendor

    vendor = Vendor.objects.select_for_update().get(pk=change.vendor_id)
    error = duplicate_email_error(change.new_email, vendor)
    if error:
        raise EmailChangeError(error)
    before = snapshot(change, FIELDS) | {"vendor_email": vendor.email}
    now = timezone.now()
    vendor.email = change.new_email
    vendor.save(update_fields=["email"])
    User.objects.filter(pk=vendor.user_id).update(email=change.new_email)
    change.status = EmailChangeStatus.APPLIED
    change.applied_by = by
    change.applied_at = now
    change.save(update_fields=["status", "applied_by", "applied_at"])
    case = change.sop_case
    sop.finish_step(case, 3, by=by, at=now)
    sop.close_case(case, by=by, outcome=gettext("E-mail diubah"), at=now)
    _notify(change, "applied", [change.old_email, change.new_email])
    record(
        "vendors.email_change_apply",
        actor=by,
        target=change,
        before=before,
        after=snapshot(change, FIELDS) | {"vendor_email": vendor.email},
        summary=f"E-mail {vendor.name} diubah: {change}"[:500],
        request=request,
    )
    return change


@transaction.atomic
def refuse_by_admin(
    change: EmailChangeRequest, *, by, reason: str, request=None
) -> EmailChangeRequest:
    """The administrator refuses a confirmed or received request (e.g. the address was
    taken meanwhile): the running step ends, the case closes, the vendor is told."""
    change = _lock(change)
    if change.status not in {EmailChangeStatus.CONFIRMED, EmailChangeStatus.RECEIVED}:
        raise EmailChangeError(gettext("Tidak ada tindakan untuk permohonan ini."))
    reason = reason.strip()
    if not reason:
        raise EmailChangeError(gettext("Tuliskan alasan penolakan."), "reason")
    before = snapshot(change, FIELDS)
    now = timezone.now()
    running = 2 if change.status == EmailChangeStatus.CONFIRMED else 3
    change.status = EmailChangeStatus.REFUSED
    change.refusal_reason = reason
    change.applied_by = by
    change.save(update_fields=["status", "refusal_reason", "applied_by"])
    case = change.sop_case
    sop.finish_step(case, running, by=by, at=now, note=reason[:500])
    sop.close_case(case, by=by, outcome=gettext("Ditolak administrator"), at=now)
    _notify(change, "refused", [change.old_email])
    record(
        "vendors.email_change_refuse",
        actor=by,
        target=change,
        before=before,
        after=snapshot(change, FIELDS),
        summary=f"Perubahan e-mail {change.vendor.name} ditolak administrator"[:500],
        request=request,
    )
    return change
