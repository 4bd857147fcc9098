"""Writes on accounts: staff users, roles, two-factor devices (SEC-1, SEC-2).

Every function is atomic, takes the acting user as `by=` and writes an audit
event in the same transaction. E-mails leave after commit through the task
queue. Managers never set or see another person's password: a new staff user
gets a link to choose one (Django's password-reset token machinery).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.audit.services import record, snapshot

from .choices import STAFF_MANAGER_ROLES, STAFF_ROLES, Role
from .models import User, UserRole, WorkUnit
from .tasks import send_account_email

#: Fields of a staff user a manager may change, and that the audit shows.
PROFILE_FIELDS = ["username", "first_name", "last_name", "email", "phone", "work_unit", "is_active"]
BACKUP_CODE_COUNT = 10
#: Device names: the authenticator app, and the printed backup codes.
TOTP_DEVICE_NAME = "aplikasi autentikator"
BACKUP_DEVICE_NAME = "kode cadangan"


def _roles_of(user: User) -> list[str]:
    return sorted(UserRole.objects.filter(user=user).values_list("role", flat=True))


def _check_may_manage(target: User, by: User) -> None:
    """Managers manage staff; only a superuser touches a superuser's account."""
    if not (by.is_superuser or by.has_role(*STAFF_MANAGER_ROLES)):
        raise PermissionDenied
    if target.is_superuser and not by.is_superuser:
        raise PermissionDenied


def _check_roles(roles: Iterable[str], *, previous: frozenset[str], target: User, by: User) -> set:
    wanted = {str(role) for role in roles}
    unknown = wanted - {str(role) for role in STAFF_ROLES}
    if unknown:
        raise ValidationError(
            {
                "roles": _("Peran tidak dikenal atau bukan peran staf: %s")
                % ", ".join(sorted(unknown))
            }
        )
    if not wanted:
        raise ValidationError({"roles": _("Pilih sedikitnya satu peran.")})
    # The head of the LPSE is appointed by a head (or a superuser), not by an appadmin.
    head_changed = (Role.HEAD in wanted) != (Role.HEAD in previous)
    if head_changed and not (by.is_superuser or by.has_role(Role.HEAD)):
        raise ValidationError(
            {"roles": _("Hanya Kepala LPSE yang dapat memberikan atau mencabut peran Kepala LPSE.")}
        )
    if target.pk == by.pk and not by.is_superuser:
        kept = previous & STAFF_MANAGER_ROLES
        if kept - wanted:
            raise ValidationError(
                {"roles": _("Anda tidak dapat mencabut peran pengelola staf milik Anda sendiri.")}
            )
    return wanted


def _set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def _email_context(user: User) -> dict:
    return {
        "user": user,
        "link": _set_password_link(user),
        "valid_hours": max(settings.PASSWORD_RESET_TIMEOUT // 3600, 1),
        "LPSE_NAME": settings.LPSE_NAME,
        "LPSE_EMAIL": settings.LPSE_EMAIL,
        "LPSE_PHONE": settings.LPSE_PHONE,
        "site_url": settings.SITE_URL,
    }


def _queue_set_password_email(user: User) -> None:
    """Render now (request language), send after commit through the queue."""
    context = _email_context(user)
    subject = render_to_string("accounts/email/staff_welcome_subject.txt", context)
    subject = " ".join(subject.split())
    body = render_to_string("accounts/email/staff_welcome_body.txt", context)
    address = user.email
    transaction.on_commit(lambda: send_account_email(subject, body, address))


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    email: str,
    roles: Iterable[str],
    by: User,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    work_unit: WorkUnit | None = None,
    request=None,
) -> User:
    """A new staff account without a password; its owner receives a link to set one."""
    if not (by.is_superuser or by.has_role(*STAFF_MANAGER_ROLES)):
        raise PermissionDenied
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    if not email:
        raise ValidationError({"email": _("Alamat e-mail wajib diisi untuk mengirim tautan.")})
    placeholder = User(username=username)
    wanted = _check_roles(roles, previous=frozenset(), target=placeholder, by=by)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        work_unit=work_unit,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=role, granted_by=by) for role in sorted(wanted)]
    )
    user.forget_roles()
    record(
        "accounts.staff_create",
        actor=by,
        target=user,
        after={**snapshot(user, PROFILE_FIELDS), "roles": sorted(wanted)},
        summary=_("Akun staf %(username)s dibuat") % {"username": user.username},
        request=request,
    )
    _queue_set_password_email(user)
    return user


@transaction.atomic
def update_staff_user(
    user: User,
    *,
    by: User,
    roles: Iterable[str],
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    work_unit: WorkUnit | None,
    request=None,
) -> User:
    """Change a staff user's profile and roles; one audit event per grant and revoke."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_manage(user, by)
    previous = frozenset(_roles_of(user))
    wanted = _check_roles(roles, previous=previous, target=user, by=by)
    if not email:
        raise ValidationError({"email": _("Alamat e-mail wajib diisi.")})

    before = snapshot(user, PROFILE_FIELDS)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.phone, user.work_unit = phone, work_unit
    user.full_clean(exclude=["password"])
    after = snapshot(user, PROFILE_FIELDS)
    if before != after:
        user.save(update_fields=["first_name", "last_name", "email", "phone", "work_unit"])
        record(
            "accounts.staff_update",
            actor=by,
            target=user,
            before=before,
            after=after,
            summary=_("Data staf %(username)s diubah") % {"username": user.username},
            request=request,
        )

    staff_previous = previous & STAFF_ROLES
    for role in sorted(wanted - staff_previous):
        UserRole.objects.create(user=user, role=role, granted_by=by)
        record(
            "accounts.role_grant",
            actor=by,
            target=user,
            before={"roles": sorted(previous)},
            after={"role": role},
            summary=_("Peran %(role)s diberikan kepada %(username)s")
            % {"role": Role(role).label, "username": user.username},
            request=request,
        )
    for role in sorted(staff_previous - wanted):
        UserRole.objects.filter(user=user, role=role).delete()
        record(
            "accounts.role_revoke",
            actor=by,
            target=user,
            before={"role": role},
            after={"roles": sorted((previous - {role}) | (wanted - staff_previous))},
            summary=_("Peran %(role)s dicabut dari %(username)s")
            % {"role": Role(role).label, "username": user.username},
            request=request,
        )
    user.forget_roles()
    return user


@transaction.atomic
def set_staff_active(user: User, *, active: bool, by: User, request=None) -> User:
    """Deactivate (or reactivate) a staff account. Nobody deactivates themselves.

    A deactivated user's open sessions stop working at once: the auth backend
    refuses inactive users on every request.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_manage(user, by)
    if user.pk == by.pk and not active:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    user.forget_roles()
    record(
        "accounts.reactivate" if active else "accounts.deactivate",
        actor=by,
        target=user,
        before={"is_active": not active},
        after={"is_active": active},
        summary=(
            _("Akun %(username)s diaktifkan kembali")
            if active
            else _("Akun %(username)s dinonaktifkan")
        )
        % {"username": user.username},
        request=request,
    )
    return user


@transaction.atomic
def reset_two_factor(user: User, *, by: User, request=None) -> int:
    """Delete the user's TOTP device and backup codes; they enrol again at next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_may_manage(user, by)
    totp_count, _unused = TOTPDevice.objects.filter(user=user).delete()
    static_count, _unused = StaticDevice.objects.filter(user=user).delete()
    record(
        "accounts.reset_2fa",
        actor=by,
        target=user,
        before={"devices": totp_count + static_count},
        after={"devices": 0},
        summary=_("Verifikasi dua langkah %(username)s direset") % {"username": user.username},
        request=request,
    )
    return totp_count


@transaction.atomic
def send_set_password_link(user: User, *, by: User, request=None) -> None:
    """Send (again) the link with which a staff user chooses a password."""
    _check_may_manage(user, by)
    if not user.email:
        raise ValidationError(_("Pengguna ini belum memiliki alamat e-mail."))
    record(
        "accounts.set_password_link",
        actor=by,
        target=user,
        summary=_("Tautan pembuatan kata sandi dikirim ke %(username)s")
        % {"username": user.username},
        request=request,
    )
    _queue_set_password_email(user)


# --- Two-factor enrolment by the user themselves ---------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first visit to the setup page.

    Reusing it keeps the same secret when the page is reloaded. It grants
    nothing until confirmed with a valid token.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, *, by: User, request=None) -> list[str]:
    """Confirm the device (its first token was checked) and issue fresh backup codes.

    Returns the backup codes in clear, to be shown once; older codes and other
    unconfirmed devices of the user are removed.
    """
    if device.user_id != by.pk:
        raise PermissionDenied
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=by, confirmed=False).exclude(pk=device.pk).delete()
    codes = _replace_backup_codes(by)
    record(
        "accounts.enrol_2fa",
        actor=by,
        target=by,
        after={"device": device.name, "backup_codes": len(codes)},
        summary=_("Verifikasi dua langkah diaktifkan"),
        request=request,
    )
    return codes


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def record_second_factor_failure(user: User, *, request=None) -> None:
    """A wrong TOTP or backup code: audited like a wrong password (SEC-2)."""
    record(
        "auth.otp_failed",
        actor=user,
        target=user,
        summary=_("Kode verifikasi dua langkah salah"),
        request=request,
    )


@transaction.atomic
def password_changed(user: User, *, how: str, request=None) -> None:
    """Audit a password the user chose: "reset" (e-mailed link) or "change"."""
    record(
        "accounts.password_reset" if how == "reset" else "accounts.password_change",
        actor=user,
        target=user,
        summary=_("Kata sandi diatur ulang lewat tautan e-mail")
        if how == "reset"
        else _("Kata sandi diganti"),
        request=request,
    )


# --- The first administrator (called by `lpse setup`) ----------------------------


@transaction.atomic
def ensure_first_admin(
    *, username: str, email: str, password: str | None
) -> tuple[User, str | None]:
    """Create the first superuser (head + appadmin + sysadmin) when there is none.

    Returns (user, generated password or None). With an existing superuser
    nothing changes and (that user, None) comes back. A password of None is
    generated here and returned once so `./run` can print it.
    """
    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return existing, None
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(18)
    user = User.objects.filter(username=username).first() or User(username=username)
    user.email = email or user.email
    user.is_superuser = True
    user.is_staff = True  # the Django admin site is for superusers only
    user.is_active = True
    user.set_password(password)
    user.save()
    roles = {Role.HEAD, Role.APPADMIN, Role.SYSADMIN}
    have = set(_roles_of(user))
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=role) for role in sorted(roles) if role not in have]
    )
    user.forget_roles()
    record(
        "accounts.first_admin",
        actor=None,
        target=user,
        after={**snapshot(user, ["username", "email", "is_superuser"]), "roles": sorted(roles)},
        summary=_("Administrator pertama %(username)s dibuat") % {"username": user.username},
    )
    return user, generated
