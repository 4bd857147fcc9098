"""Failed bid openings after the LPSE's own attempts (ERR-1, SOP 3.1): the witness report
(Berita Acara Kesaksian, Pasal 9(2)) and step 3, the escalation to LKPP with its answer.

Steps 1-2 (the request and the staff attempts) and the shared helpers are in
`failure_services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.accounts.selectors import head_signer_name
from lpse.audit.services import record, snapshot
from lpse.core.numbering import next_number

from . import witness_report
from .failure_choices import FileOutcome, RequestResult, RequestStatus
from .failure_models import FailedOpeningRequest, WitnessReport
from .failure_services import (
    REQUEST_FIELDS,
    STAFF_ROLES,
    FailureError,
    _case,
    _close,
    _finish,
    _lock,
    _move,
    _refresh,
    _require_staff,
    is_committee_of,
    is_staff,
)

# --- The witness report (Pasal 9(2)) ------------------------------------------------------------


def witness_candidates(request_obj: FailedOpeningRequest) -> list[tuple[object, str]]:
    """Users who may be listed as witnesses: the tender's committee and LPSE staff."""
    from lpse.accounts.models import User
    from lpse.tenders.models import CommitteeMember

    members = [
        (seat.user, gettext("Pokja Pemilihan"))
        for seat in CommitteeMember.objects.filter(tender=request_obj.tender)
        .select_related("user")
        .order_by("pk")
    ]
    seen = {user.pk for user, _role in members}
    staff = []
    for user in (
        User.objects.filter(is_active=True, role_rows__role__in=list(STAFF_ROLES))
        .distinct()
        .order_by("username")
    ):
        if user.pk in seen:
            continue
        role = gettext("Kepala LPSE") if user.has_role(Role.HEAD) else gettext("Staf LPSE")
        staff.append((user, role))
    return members + staff


def _witness_rows(request_obj, users, others: str) -> list[dict]:
    allowed = {user.pk: (user, role) for user, role in witness_candidates(request_obj)}
    rows, committee, lpse = [], False, False
    for user in users:
        if user.pk not in allowed:
            raise FailureError(gettext("Saksi harus anggota Pokja atau staf LPSE."), "witnesses")
        _user, role = allowed[user.pk]
        rows.append({"name": user.get_full_name() or user.username, "role": role})
        if is_committee_of(request_obj.tender, user) and not user.is_superuser:
            committee = True
        if is_staff(user):
            lpse = True
    if not committee or not lpse:
        raise FailureError(
            gettext("Saksi minimal satu anggota Pokja Pemilihan dan satu staf LPSE."), "witnesses"
        )
    for line in (others or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, role = line.partition("-")
        if not name.strip() or not role.strip():
            raise FailureError(
                gettext("Tulis saksi lain satu per baris sebagai 'Nama - Jabatan'."),
                "other_witnesses",
            )
        rows.append({"name": name.strip()[:150], "role": role.strip()[:150]})
    return rows


@transaction.atomic
def issue_report(
    request_obj: FailedOpeningRequest, *, by, witnesses, other_witnesses: str = "", request=None
) -> WitnessReport:
    """Number, draw, sign (PAdES, LPSE authority key) and store the Berita Acara Kesaksian."""
    from .authority import get_authority

    _require_staff(by)
    locked = _lock(request_obj)
    if not locked.handling_finished_at:
        raise FailureError(gettext("Berita acara dibuat setelah penanganan berkas selesai."))
    if WitnessReport.objects.filter(request=locked).exists():
        raise FailureError(gettext("Berita acara kesaksian permohonan ini sudah dibuat."))
    rows = _witness_rows(locked, list(witnesses), other_witnesses)
    now = timezone.now()
    year = timezone.localtime(now).year
    sequence = next_number("witness_report", year)
    report = WitnessReport(
        request=locked,
        year=year,
        sequence=sequence,
        number=witness_report.report_number(year, sequence),
        witnesses=rows,
        issued_at=now,
        issued_by=by,
    )
    report.signer_name = head_signer_name()
    files = list(locked.files.prefetch_related("attempts").order_by("pk"))
    for file in files:
        file.attempt_list = list(file.attempts.all())
    authority = get_authority()
    unsigned = witness_report.draw(report, locked, files, rows)
    signed = witness_report.sign_pdf(
        unsigned,
        key=authority.key,
        certificate=authority.certificate,
        reason=f"Berita Acara Kesaksian {report.number}",
        location=settings.LPSE_LETTER_PLACE,
        name=settings.LPSE_NAME,
    )
    report.stored_name, report.sha256 = witness_report.store(signed)
    report.size = len(signed)
    report.signer_subject = authority.certificate.subject.rfc4514_string()[:300]
    report.save()
    record(
        "bids.witness_report_issued",
        actor=by,
        target=report,
        after={
            "number": report.number,
            "request": locked.reference,
            "sha256": report.sha256,
            "witnesses": rows,
        },
        summary=f"Berita acara kesaksian {report.number} untuk {locked.reference} dibuat",
        request=request,
    )
    return report


# --- Step 3: LKPP --------------------------------------------------------------------------------


@transaction.atomic
def escalate(
    request_obj: FailedOpeningRequest,
    *,
    by,
    lkpp_email: str,
    lkpp_reference: str = "",
    note: str = "",
    request=None,
) -> FailedOpeningRequest:
    """Send the files still unopened to LKPP with the report (SOP 3.1 step 3)."""
    from django.core.validators import validate_email
    from django.forms import ValidationError

    _require_staff(by)
    lkpp_email = (lkpp_email or "").strip()
    try:
        validate_email(lkpp_email)
    except ValidationError:
        raise FailureError(gettext("Alamat e-mail LKPP tidak valid."), "lkpp_email") from None
    locked = _lock(request_obj)
    if locked.status != RequestStatus.HANDLED:
        raise FailureError(gettext("Hanya permohonan yang selesai ditangani dan belum tuntas."))
    if not WitnessReport.objects.filter(request=locked).exists():
        raise FailureError(gettext("Buat berita acara kesaksian dahulu; ia dilampirkan ke LKPP."))
    unresolved = list(locked.files.filter(outcome=FileOutcome.FAILED))
    if not unresolved:
        raise FailureError(gettext("Tidak ada berkas yang perlu diteruskan ke LKPP."))
    before = snapshot(locked, REQUEST_FIELDS)
    now = timezone.now()
    _move(locked, RequestStatus.ESCALATED, by=by, at=now, note=gettext("Dikirim ke LKPP."))
    locked.lkpp_email = lkpp_email
    locked.lkpp_reference = (lkpp_reference or "").strip()[:100]
    locked.escalated_at, locked.escalated_by = now, by
    locked.save(update_fields=["lkpp_email", "lkpp_reference", "escalated_at", "escalated_by"])
    for file in unresolved:
        file.outcome = FileOutcome.ESCALATED
        file.save(update_fields=["outcome"])
    _finish(_case(locked), 3, by=by, at=now, note=lkpp_email)
    record(
        "bids.failed_opening_escalated",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, REQUEST_FIELDS) | {"files": [file.sha256 for file in unresolved]},
        summary=f"Permohonan {locked.reference}: {len(unresolved)} berkas diteruskan ke LKPP",
        request=request,
    )
    from .failure_tasks import send_lkpp_escalation

    request_id, text = locked.pk, (note or "").strip()
    transaction.on_commit(lambda: send_lkpp_escalation(request_id, text))
    _refresh(request_obj, locked)
    return request_obj


@transaction.atomic
def record_lkpp_answer(
    request_obj: FailedOpeningRequest,
    *,
    by,
    answer: str,
    result: str,
    lkpp_reference: str = "",
    request=None,
) -> FailedOpeningRequest:
    """LKPP's answer closes the case with its outcome."""
    _require_staff(by)
    answer = (answer or "").strip()
    if not answer:
        raise FailureError(gettext("Jawaban LKPP wajib diisi."), "answer")
    if result not in (RequestResult.LKPP_OPENED, RequestResult.NOT_OPENED):
        raise FailureError(gettext("Pilih hasil akhir."), "result")
    locked = _lock(request_obj)
    if locked.status != RequestStatus.ESCALATED:
        raise FailureError(gettext("Permohonan ini tidak sedang menunggu jawaban LKPP."))
    reference = (lkpp_reference or "").strip() or locked.lkpp_reference
    if not reference:
        raise FailureError(gettext("Nomor tiket/surat LKPP wajib diisi."), "lkpp_reference")
    before = snapshot(locked, REQUEST_FIELDS)
    now = timezone.now()
    locked.lkpp_reference = reference[:100]
    locked.lkpp_answer, locked.lkpp_answered_at = answer, now
    locked.save(update_fields=["lkpp_reference", "lkpp_answer", "lkpp_answered_at"])
    outcome = FileOutcome.OPENED if result == RequestResult.LKPP_OPENED else FileOutcome.FAILED
    locked.files.filter(outcome=FileOutcome.ESCALATED).update(outcome=outcome)
    _close(locked, result, by=by, at=now)
    record(
        "bids.failed_opening_lkpp_answer",
        actor=by,
        target=locked,
        before=before,
        after=snapshot(locked, REQUEST_FIELDS),
        summary=f"Jawaban LKPP ({reference}) untuk {locked.reference} dicatat; kasus ditutup",
        request=request,
    )
    _refresh(request_obj, locked)
    return request_obj
