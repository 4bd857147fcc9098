"""E-mails of the failed-opening procedure (ERR-1), sent after commit by the task queue:
the new request to the head of LPSE and staff, and the escalation to LKPP with the witness
report and the files still unopened attached (SOP 3.1 step 3)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext
from huey.contrib.djhuey import db_task


def _staff_addresses() -> list[str]:
    from lpse.accounts.models import User

    from .failure_services import STAFF_ROLES

    return sorted(
        set(
            User.objects.filter(
                is_active=True, role_rows__role__in=list(STAFF_ROLES), email__gt=""
            ).values_list("email", flat=True)
        )
    )


@db_task(retries=3, retry_delay=60)
def notify_staff(request_id: int) -> None:
    """Tell the head of LPSE and the staff that a request was filed (SOP 3.1 step 1)."""
    from .failure_models import FailedOpeningRequest

    filed = FailedOpeningRequest.objects.select_related("tender", "filed_by").get(pk=request_id)
    to = _staff_addresses()
    if not to:
        return
    url = settings.SITE_URL + reverse("bids:failed_opening_detail", args=[filed.pk])
    body = gettext(
        "Pokja Pemilihan tender %(code)s (%(name)s) mengajukan permohonan %(reference)s: "
        "%(count)d berkas penawaran tidak bisa dibuka.\n\nTangani (SOP 3.1, 5-15 menit): "
        "%(url)s\n\n%(lpse)s\n"
    ) % {
        "code": filed.tender.code,
        "name": filed.tender.name,
        "reference": filed.reference,
        "count": filed.files.count(),
        "url": url,
        "lpse": settings.LPSE_NAME,
    }
    EmailMessage(
        subject=f"[{filed.reference}] "
        + gettext("Berkas penawaran tidak bisa dibuka: tender %(code)s")
        % {"code": filed.tender.code},
        body=body,
        to=to,
    ).send()


def escalation_message(request_id: int, note: str = "") -> EmailMessage:
    """The e-mail to LKPP: summary, fingerprints, the signed report and the files (those
    above LPSE_LKPP_ATTACH_MAX_MB are listed, not attached)."""
    from .failure_choices import FileOutcome
    from .failure_models import FailedOpeningRequest
    from .failure_services import bids_root
    from .witness_report import path_of

    filed = FailedOpeningRequest.objects.select_related("tender", "witness_report").get(
        pk=request_id
    )
    report = filed.witness_report
    limit = settings.LPSE_LKPP_ATTACH_MAX_MB * 1024 * 1024
    files = list(filed.files.filter(outcome=FileOutcome.ESCALATED).order_by("pk"))
    lines, attachments = [], []
    for index, item in enumerate(files, start=1):
        path = bids_root() / item.stored_name if item.stored_name else None
        attached = bool(path and path.is_file() and item.size is not None and item.size <= limit)
        state = (
            gettext("Dilampirkan")
            if attached
            else gettext("Tidak dilampirkan (terlalu besar atau tidak ada)")
        )
        size = item.size if item.size is not None else "-"
        lines.append(
            f"{index}. {item.original_name} ({item.vendor_name or '-'})\n"
            f"   {gettext('Ukuran')}: {size} bita\n"
            f"   MD5: {item.md5 or '-'}\n   SHA-256: {item.sha256 or '-'}\n"
            f"   {gettext('Diagnosis')}: {item.get_diagnosis_display()} - "
            f"{item.diagnosis_message}\n   {state}"
        )
        if attached:
            attachments.append((f"{index:02d}-{item.sha256[:16]}.p7m", path.read_bytes()))
    body = gettext(
        "Yth. LKPP,\n\n%(lpse)s meneruskan berkas dokumen penawaran yang tidak dapat dibuka "
        "(SOP 3.1 langkah 3, Pasal 9 ayat (3)).\n\nTender: %(code)s - %(name)s\n"
        "Permohonan: %(reference)s\nBerita acara kesaksian: %(number)s (terlampir, "
        "ditandatangani elektronik)\n\n%(files)s\n\n%(note)s\n\nMohon balasan dengan "
        "menyebut nomor %(reference)s.\n\nSalam,\n%(lpse)s\n%(email)s\n"
    ) % {
        "lpse": settings.LPSE_NAME,
        "code": filed.tender.code,
        "name": filed.tender.name,
        "reference": filed.reference,
        "number": report.number,
        "files": "\n".join(lines),
        "note": note,
        "email": settings.LPSE_EMAIL,
    }
    message = EmailMessage(
        subject=f"[{filed.reference}] "
        + gettext("Berkas penawaran tidak dapat dibuka: tender %(code)s")
        % {"code": filed.tender.code},
        body=body,
        to=[filed.lkpp_email],
        reply_to=[settings.LPSE_EMAIL] if settings.LPSE_EMAIL else None,
    )
    message.attach(report.file_name, path_of(report.stored_name).read_bytes(), "application/pdf")
    for name, content in attachments:
        message.attach(name, content, "application/pkcs7-mime")
    return message


@db_task(retries=3, retry_delay=60)
def send_lkpp_escalation(request_id: int, note: str = "") -> None:
    escalation_message(request_id, note).send()
