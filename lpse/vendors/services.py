"""Writes of vendor registration and desk verification (REG-1..REG-6, SOP 1.1).

Every function is atomic, takes the acting user as `by=` (None for the public
applicant and the scheduler) and appends an audit event in the same
transaction (AUD-1). Every state change is also recorded on the SOP 1.1 case.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from lpse.accounts.choices import Role
from lpse.accounts.models import User, UserRole
from lpse.audit.services import record, snapshot
from lpse.core import calendar
from lpse.sop import services as sop
from lpse.sop.choices import CaseStatus

from .choices import CheckResult, VendorStatus, VerificationOutcome, can_move
from .models import (
    ActivationCode,
    DocumentCheck,
    EmailConfirmation,
    Vendor,
    Verification,
    VerificationChecklistItem,
)
from .tasks import send_vendor_email

VENDOR_FIELDS = [
    "name",
    "legal_form",
    "tax_id",
    "business_id",
    "email",
    "status",
    "registration_number",
    "verification_deadline",
    "verified_at",
]
VERIFICATION_DAYS = 7
STATUS_SALT = "lpse.vendors.status"
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a slip


class RegistrationError(ValidationError):
    """A refused request; `messages` are Indonesian, `error_dict` names the fields when known."""


class AlreadyDecided(RegistrationError):
    """Another verifier finished this applicant first (REG-4 concurrency)."""


# --- Settings -------------------------------------------------------------------------


def confirmation_hours() -> int:
    return settings.LPSE_CONFIRMATION_HOURS


def reminder_days() -> int:
    return settings.LPSE_VERIFICATION_REMINDER_DAYS


def activation_days() -> int:
    return settings.LPSE_ACTIVATION_DAYS


# --- Helpers --------------------------------------------------------------------------


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def normalise_code(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())


def status_token(vendor: Vendor) -> str:
    return signing.dumps(vendor.pk, salt=STATUS_SALT)


def status_link(vendor: Vendor) -> str:
    return settings.SITE_URL + reverse("vendors:status_link", args=[status_token(vendor)])


def vendor_from_status_token(token: str) -> Vendor | None:
    """The vendor of a signed status link (valid 90 days), or None."""
    try:
        pk = signing.loads(token, salt=STATUS_SALT, max_age=timedelta(days=90))
    except signing.BadSignature:
        return None
    return Vendor.objects.filter(pk=pk).first()


def _site_context() -> dict:
    return {
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_ADDRESS": settings.LPSE_ADDRESS,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
        "LPSE_PHONE": settings.LPSE_PHONE,
        "site_url": settings.SITE_URL,
    }


def queue_email(template: str, context: dict, to: str) -> None:
    """Render `vendors/email/<template>_*` (subject, text, HTML) now; send after commit."""
    context = _site_context() | context
    subject = " ".join(render_to_string(f"vendors/email/{template}_subject.txt", context).split())
    text = render_to_string(f"vendors/email/{template}_body.txt", context)
    html = render_to_string(f"vendors/email/{template}_body.html", context)
    transaction.on_commit(lambda: send_vendor_email(subject, text, html, to))


def requirements_context(vendor: Vendor) -> dict:
    """What the vendor must bring and when (REG-2, REG-3): shared by e-mails and the status page."""
    now = timezone.now()
    items = list(VerificationChecklistItem.objects.filter(active=True))
    remaining = 0
    if vendor.status == VendorStatus.PENDING_VERIFICATION and now < vendor.verification_deadline:
        day = timezone.localtime(now).date()
        end = timezone.localtime(vendor.verification_deadline).date()
        while day < end:
            day = calendar.add_working_days(day, 1)
            remaining += 1
    return {
        "vendor": vendor,
        "items": items,
        "desk_hours": calendar.verification_hours(),
        "deadline": vendor.verification_deadline,
        "working_days_left": remaining,
        "status_link": status_link(vendor),
        "verification_days": VERIFICATION_DAYS,
    }


def _case(vendor: Vendor):
    case = vendor.sop_case
    return case if case is not None and case.status == CaseStatus.OPEN else None


def _finish_running(case, number: int, *, by, at=None, note: str = "") -> None:
    if case is not None and case.runs.filter(step__number=number, ended_at__isnull=True).exists():
        sop.finish_step(case, number, by=by, at=at, note=note)


# --- REG-1: e-mail confirmation ----------------------------------------------------------


def _blocking_vendor(*, email: str = "", tax_id: str = "") -> Vendor | None:
    """A registration that is still alive (pending or verified) with this e-mail or NPWP."""
    query = Q()
    if email:
        query |= Q(email__iexact=email)
    if tax_id:
        query |= Q(tax_id=tax_id)
    return (
        Vendor.objects.filter(query)
        .filter(status__in=[VendorStatus.PENDING_VERIFICATION, VendorStatus.VERIFIED])
        .first()
    )


@transaction.atomic
def request_confirmation(email: str, *, by=None, request=None) -> tuple[EmailConfirmation, str]:
    """Send a single-use confirmation link to `email` (REG-1); returns the row and raw token."""
    email = (email or "").strip().lower()
    if _blocking_vendor(email=email):
        raise RegistrationError(
            {
                "email": gettext(
                    "E-mail ini sudah terdaftar sebagai penyedia. Bila lupa kata sandi, gunakan"
                    " fitur lupa kata sandi; bila e-mail perusahaan berubah, ajukan perubahan"
                    " e-mail ke LPSE."
                )
            }
        )
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    confirmation = EmailConfirmation.objects.create(
        email=email,
        token_hash=token_hash(raw),
        created_at=now,
        expires_at=now + timedelta(hours=confirmation_hours()),
    )
    record(
        "vendors.confirmation_sent",
        actor=by,
        target=confirmation,
        after={"email": email, "expires_at": confirmation.expires_at.isoformat()},
        summary=f"Tautan konfirmasi pendaftaran dikirim ke {email}",
        request=request,
    )
    link = settings.SITE_URL + reverse("vendors:confirm", args=[raw])
    queue_email(
        "confirmation",
        {
            "link": link,
            "expires_at": confirmation.expires_at,
            "valid_hours": confirmation_hours(),
            "forms_link": settings.SITE_URL + reverse("vendors:register"),
        },
        email,
    )
    return confirmation, raw


class LinkProblem(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" | "used" | "expired"


def confirmation_for(raw: str) -> EmailConfirmation:
    """The usable confirmation of a link, or LinkProblem saying why not."""
    confirmation = EmailConfirmation.objects.filter(token_hash=token_hash(raw or "")).first()
    if confirmation is None:
        raise LinkProblem("unknown")
    if confirmation.used_at is not None:
        raise LinkProblem("used")
    if timezone.now() >= confirmation.expires_at:
        raise LinkProblem("expired")
    return confirmation


# --- REG-2: the registration form ----------------------------------------------------------


def _registration_number(now: datetime) -> str:
    year = timezone.localtime(now).year
    prefix = f"REG-{year}-"
    last = (
        Vendor.objects.filter(registration_number__startswith=prefix)
        .order_by("-registration_number")
        .values_list("registration_number", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _save_numbered(vendor: Vendor, data: dict, *, renewing: Vendor | None) -> None:
    """Save with the next registration number. Two registrations submitted at the
    same moment (PostgreSQL) may pick the same number: the loser retries with the
    next one; if a unique company field collided instead, it gets the field message."""
    for attempt in range(5):
        vendor.registration_number = _registration_number(vendor.registered_at)
        try:
            with transaction.atomic():
                vendor.save()
            return
        except IntegrityError:
            errors = duplicate_errors(data, renewing=renewing)
            errors.pop("username", None)  # the login was saved above, in this transaction
            if errors:
                raise RegistrationError(errors) from None
            if attempt == 4:
                raise


def duplicate_errors(data: dict, *, renewing: Vendor | None = None) -> dict[str, str]:
    """Field -> Indonesian message for e-mail/NPWP/NIB/User ID already taken (REG-2)."""
    errors: dict[str, str] = {}
    others = Vendor.objects.exclude(pk=renewing.pk) if renewing else Vendor.objects.all()
    if others.filter(email__iexact=data["email"]).exists():
        errors["email"] = gettext("E-mail ini sudah dipakai oleh penyedia lain.")
    if others.filter(tax_id=data["tax_id"]).exists():
        errors["tax_id"] = gettext("NPWP ini sudah terdaftar sebagai penyedia.")
    if data.get("business_id") and others.filter(business_id=data["business_id"]).exists():
        errors["business_id"] = gettext("NIB ini sudah terdaftar sebagai penyedia.")
    users = User.objects.filter(username__iexact=data["username"])
    if renewing:
        users = users.exclude(pk=renewing.user_id)
    if users.exists():
        errors["username"] = gettext("User ID ini sudah dipakai; pilih User ID lain.")
    return errors


def renewable_vendor(email: str, tax_id: str) -> Vendor | None:
    """An EXPIRED or REJECTED registration with this e-mail or NPWP: renewed (REG-3)."""
    return (
        Vendor.objects.select_for_update()
        .filter(Q(email__iexact=email) | Q(tax_id=tax_id))
        .filter(status__in=[VendorStatus.EXPIRED, VendorStatus.REJECTED])
        .order_by("-registered_at")
        .first()
    )


@transaction.atomic
def register_vendor(raw_token: str, data: dict, *, by=None, request=None) -> Vendor:
    """Create (or renew) the vendor and its login from the online form (REG-2, SOP 1.1 steps 1-7).

    `data` holds the cleaned form fields; `business_fields` is a list of
    BusinessField. The link is used up. The e-mail of the link is the company
    e-mail. Raises LinkProblem or RegistrationError (field messages).
    """
    confirmation = confirmation_for(raw_token)
    confirmation = EmailConfirmation.objects.select_for_update().get(pk=confirmation.pk)
    if not confirmation.is_usable():
        raise LinkProblem("used")
    data = dict(data, email=confirmation.email)
    renewing = renewable_vendor(data["email"], data["tax_id"])
    errors = duplicate_errors(data, renewing=renewing)
    if errors:
        raise RegistrationError(errors)
    now = timezone.now()
    before = snapshot(renewing, VENDOR_FIELDS) if renewing else None
    if renewing:
        vendor = renewing
        user = vendor.user
        if user.username != data["username"]:
            user.username = data["username"]
        user.email = data["email"]
        user.set_unusable_password()
        user.save()
    else:
        user = User(username=data["username"], email=data["email"], first_name=data["name"][:150])
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.VENDOR)
        vendor = Vendor(user=user)
    for name in (
        "name",
        "legal_form",
        "tax_id",
        "address",
        "city",
        "phone",
        "director_name",
        "director_id_number",
        "email",
    ):
        setattr(vendor, name, data[name])
    vendor.business_id = data.get("business_id") or None
    if renewing:
        vendor.status = VendorStatus.PENDING_VERIFICATION
    vendor.registered_at = now
    vendor.verification_deadline = calendar.working_deadline(now, VERIFICATION_DAYS)
    vendor.reminder_sent_at = None
    vendor.expired_at = None
    _save_numbered(vendor, data, renewing=renewing)
    vendor.business_fields.set(data["business_fields"])
    confirmation.used_at = now
    confirmation.vendor = vendor
    confirmation.save(update_fields=["used_at", "vendor"])
    record(
        "vendors.renew" if renewing else "vendors.register",
        actor=by,
        target=vendor,
        before=before,
        after=snapshot(vendor, VENDOR_FIELDS) | {"username": user.username},
        summary=f"Pendaftaran penyedia {vendor.name} ({vendor.registration_number})"
        + (" diperbarui" if renewing else ""),
        request=request,
    )
    # SOP 1.1: steps 1-3 happened when the e-mail was entered, 4-6 now; step 7 starts.
    case = vendor.open_sop_case(by=by, title=f"{vendor.name} ({vendor.registration_number})")
    for number in (1, 2, 3):
        sop.start_step(case, number, by=by, at=confirmation.created_at)
        sop.finish_step(case, number, by=by, at=confirmation.created_at)
    sop.start_step(case, 4, by=by, at=confirmation.created_at)
    sop.finish_step(case, 4, by=by, at=now)
    for number in (5, 6):
        sop.start_step(case, number, by=by, at=now)
        sop.finish_step(case, number, by=by, at=now)
    sop.start_step(case, 7, by=by, at=now)
    queue_email("registered", requirements_context(vendor), vendor.email)
    return vendor


# --- REG-3: reminders and expiry ---------------------------------------------------------------


@dataclass
class SweepResult:
    reminded: int = 0
    expired: int = 0


def remind_and_expire(now: datetime | None = None) -> SweepResult:
    """Remind pending applicants `reminder_days()` working days before the deadline (once),
    and expire those past it (kept, status EXPIRED, step 7 closed as missed)."""
    now = now or timezone.now()
    result = SweepResult()
    pending = Vendor.objects.filter(status=VendorStatus.PENDING_VERIFICATION)
    for pk in pending.filter(verification_deadline__lte=now).values_list("pk", flat=True):
        if expire_vendor(pk, now=now):
            result.expired += 1
    with calendar.one_reading():
        for vendor in pending.filter(verification_deadline__gt=now, reminder_sent_at__isnull=True):
            remind_from = calendar.working_deadline(
                vendor.registered_at, max(VERIFICATION_DAYS - reminder_days(), 0)
            )
            if now >= remind_from and send_reminder(vendor.pk, now=now):
                result.reminded += 1
    return result


@transaction.atomic
def send_reminder(pk: int, *, now: datetime) -> bool:
    vendor = Vendor.objects.select_for_update().get(pk=pk)
    if vendor.status != VendorStatus.PENDING_VERIFICATION or vendor.reminder_sent_at:
        return False
    vendor.reminder_sent_at = now
    vendor.save(update_fields=["reminder_sent_at"])
    record(
        "vendors.reminder",
        actor=None,
        target=vendor,
        after={"reminder_sent_at": now.isoformat()},
        summary=f"Pengingat verifikasi dikirim ke {vendor.name}",
    )
    queue_email("reminder", requirements_context(vendor), vendor.email)
    return True


@transaction.atomic
def expire_vendor(pk: int, *, now: datetime) -> bool:
    vendor = Vendor.objects.select_for_update().get(pk=pk)
    if not can_move(vendor.status, VendorStatus.EXPIRED) or now < vendor.verification_deadline:
        return False
    before = snapshot(vendor, VENDOR_FIELDS)
    vendor.status = VendorStatus.EXPIRED
    vendor.expired_at = now
    vendor.save(update_fields=["status", "expired_at"])
    record(
        "vendors.expire",
        actor=None,
        target=vendor,
        before=before,
        after=snapshot(vendor, VENDOR_FIELDS),
        summary=f"Pendaftaran {vendor.registration_number} kedaluwarsa: tidak diverifikasi"
        " dalam 7 hari kerja",
    )
    case = _case(vendor)
    if case is not None:
        _finish_running(
            case, 7, by=None, at=now, note=gettext("Tidak datang verifikasi sampai batas waktu.")
        )
        sop.close_case(case, by=None, outcome=gettext("Kedaluwarsa"), at=now)
    queue_email("expired", requirements_context(vendor), vendor.email)
    return True


# --- REG-4: the desk ---------------------------------------------------------------------------


@transaction.atomic
def open_verification(vendor: Vendor, *, by, request=None) -> Verification:
    """The verifier opens the applicant: steps 7 and 8 finish, step 9 starts (REG-4).

    Opening outside the desk hours or on a non-working day is recorded (and
    the page warns), not refused: the regulation sets hours to measure.
    """
    locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
    if locked.status != VendorStatus.PENDING_VERIFICATION:
        raise AlreadyDecided(
            gettext("Pendaftar ini tidak lagi menunggu verifikasi (status: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    running = locked.verifications.filter(ended_at__isnull=True).first()
    if running is not None:
        return running
    now = timezone.now()
    verification = Verification.objects.create(
        vendor=locked,
        verifier=by,
        started_at=now,
        outside_desk_hours=not calendar.is_working_time(now, calendar.verification_hours()),
    )
    case = _case(locked)
    if case is not None:
        _finish_running(case, 7, by=by, at=now)
        sop.start_step(case, 8, by=by, at=now)
        sop.finish_step(case, 8, by=by, at=now)
        sop.start_step(case, 9, by=by, at=now)
    record(
        "vendors.verification_open",
        actor=by,
        target=locked,
        after={
            "verification": verification.pk,
            "outside_desk_hours": verification.outside_desk_hours,
        },
        summary=f"Verifikasi {locked.registration_number} dibuka oleh {by}",
        request=request,
    )
    return verification


@dataclass(frozen=True)
class CheckInput:
    item: VerificationChecklistItem
    seen: bool
    note: str = ""


@transaction.atomic
def decide_verification(
    verification: Verification,
    *,
    outcome: str,
    checks: list[CheckInput],
    originals_seen: bool,
    reasons: str = "",
    by,
    request=None,
) -> tuple[Verification, str | None]:
    """Record the desk's outcome (REG-4/5/6). The vendor row is locked: of two verifiers acting
    at once exactly one succeeds, the other gets AlreadyDecided. Returns the verification and,
    for COMPLETE, the raw activation code (for the slip/e-mail only; never shown on screen)."""
    vendor = Vendor.objects.select_for_update().get(pk=verification.vendor_id)
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if vendor.status != VendorStatus.PENDING_VERIFICATION or verification.ended_at is not None:
        raise AlreadyDecided(
            gettext(
                "Verifikasi pendaftar ini sudah diselesaikan oleh verifikator lain"
                " (status: %(status)s). Tidak ada yang diubah."
            )
            % {"status": vendor.get_status_display()}
        )
    reasons = (reasons or "").strip()
    missing_required = [c.item.label for c in checks if c.item.required and not c.seen]
    errors: dict[str, str] = {}
    if outcome == VerificationOutcome.COMPLETE:
        if missing_required:
            errors["outcome"] = gettext(
                "Tanda lengkap hanya bila semua dokumen wajib ada. Belum ada: %(items)s."
            ) % {"items": "; ".join(missing_required)}
        if not originals_seen:
            errors["originals_seen"] = gettext(
                "Tanda lengkap hanya bila dokumen asli sudah diperlihatkan."
            )
    elif outcome in (VerificationOutcome.INCOMPLETE, VerificationOutcome.REJECTED):
        if not reasons:
            errors["reasons"] = gettext("Alasan wajib diisi; alasan ini dikirim ke penyedia.")
    else:
        errors["outcome"] = gettext("Pilih hasil verifikasi.")
    if errors:
        raise RegistrationError(errors)
    now = timezone.now()
    DocumentCheck.objects.bulk_create(
        [
            DocumentCheck(
                verification=verification,
                item=c.item,
                result=CheckResult.SEEN if c.seen else CheckResult.MISSING,
                note=c.note[:300],
            )
            for c in checks
        ]
    )
    verification.outcome = outcome
    verification.reasons = reasons
    verification.originals_seen = originals_seen
    verification.ended_at = now
    verification.save()
    before = snapshot(vendor, VENDOR_FIELDS)
    case = _case(vendor)
    raw_code = None
    if outcome == VerificationOutcome.COMPLETE:
        vendor.status = VendorStatus.VERIFIED
        vendor.verified_at = now
        vendor.verified_by = by
        vendor.save(update_fields=["status", "verified_at", "verified_by"])
        raw_code = _issue_activation_code(vendor, by=by, now=now)
    elif outcome == VerificationOutcome.REJECTED:
        vendor.status = VendorStatus.REJECTED
        vendor.save(update_fields=["status"])
    record(
        f"vendors.verification_{outcome}",
        actor=by,
        target=vendor,
        before=before,
        after=snapshot(vendor, VENDOR_FIELDS)
        | {
            "outcome": outcome,
            "originals_seen": originals_seen,
            "reasons": reasons,
            "missing": [c.item.code for c in checks if not c.seen],
        },
        summary=f"Verifikasi {vendor.registration_number}: {verification.get_outcome_display()}",
        request=request,
    )
    if case is not None:
        _finish_running(case, 9, by=by, at=now, note=verification.get_outcome_display())
        if outcome == VerificationOutcome.INCOMPLETE:
            # The applicant comes back with the missing documents within the same deadline.
            sop.start_step(case, 7, by=by, at=now)
        else:
            sop.close_case(case, by=by, outcome=str(verification.get_outcome_display()), at=now)
    if outcome == VerificationOutcome.COMPLETE:
        queue_email("activation", activation_context(vendor, raw_code), vendor.email)
    else:
        missing = [c for c in checks if not c.seen]
        queue_email(
            "incomplete" if outcome == VerificationOutcome.INCOMPLETE else "rejected",
            requirements_context(vendor) | {"reasons": reasons, "missing": missing},
            vendor.email,
        )
    return verification, raw_code


# --- REG-5: activation ---------------------------------------------------------------------------


def _issue_activation_code(vendor: Vendor, *, by, now: datetime) -> str:
    vendor.user.activation_codes.filter(used_at__isnull=True).update(used_at=now)
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(10))
    ActivationCode.objects.create(
        user=vendor.user,
        code_hash=token_hash(raw),
        created_at=now,
        expires_at=now + timedelta(days=activation_days()),
        created_by=by,
    )
    return raw


def activation_context(vendor: Vendor, raw_code: str) -> dict:
    code = ActivationCode.objects.filter(user=vendor.user).order_by("-created_at").first()
    return {
        "vendor": vendor,
        "code": f"{raw_code[:5]}-{raw_code[5:]}",
        "link": settings.SITE_URL + reverse("vendors:activate") + f"?kode={raw_code}",
        "activate_url": settings.SITE_URL + reverse("vendors:activate"),
        "expires_at": code.expires_at if code else None,
        "username": vendor.user.username,
    }


@transaction.atomic
def reissue_activation(vendor: Vendor, *, by, request=None) -> str:
    """A new activation code for a verified vendor that lost or let expire the first (REG-5)."""
    locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
    if locked.status != VendorStatus.VERIFIED or locked.activated_at is not None:
        raise RegistrationError(gettext("Penyedia ini tidak menunggu aktivasi."))
    raw = _issue_activation_code(locked, by=by, now=timezone.now())
    record(
        "vendors.activation_reissue",
        actor=by,
        target=locked,
        summary=f"Kode aktivasi baru untuk {locked.registration_number}",
        request=request,
    )
    queue_email("activation", activation_context(locked, raw), locked.email)
    return raw


@transaction.atomic
def activate(username: str, raw_code: str, password: str, *, request=None) -> User:
    """Set the vendor's own password with its one-time code (REG-5). Then it can log in."""
    invalid = RegistrationError(
        {"code": gettext("User ID atau kode aktivasi salah, sudah dipakai, atau kedaluwarsa.")}
    )
    code = (
        ActivationCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=token_hash(normalise_code(raw_code)), user__username=username.strip())
        .first()
    )
    if code is None or not code.is_usable():
        raise invalid
    user = code.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise RegistrationError({"password1": exc.messages}) from None
    now = timezone.now()
    user.set_password(password)
    user.save(update_fields=["password"])
    code.used_at = now
    code.save(update_fields=["used_at"])
    vendor = user.vendor
    vendor.activated_at = now
    vendor.save(update_fields=["activated_at"])
    record(
        "vendors.activate",
        actor=user,
        target=vendor,
        after={"activated_at": now.isoformat()},
        summary=f"Penyedia {vendor.registration_number} mengaktifkan akun",
        request=request,
    )
    return user


# --- Checklist (head) -------------------------------------------------------------------------

ITEM_FIELDS = ["code", "label", "description", "required", "order", "active"]


@transaction.atomic
def save_checklist_item(item: VerificationChecklistItem, *, by, request=None):
    """Create or change a checklist item (REG-4); the head configures the desk's list."""
    before = None
    if item.pk:
        before = snapshot(VerificationChecklistItem.objects.get(pk=item.pk), ITEM_FIELDS)
    item.full_clean()
    item.save()
    record(
        "vendors.checklist_save",
        actor=by,
        target=item,
        before=before,
        after=snapshot(item, ITEM_FIELDS),
        summary=f"Daftar periksa verifikasi: {item.label}"[:500],
        request=request,
    )
    return item
