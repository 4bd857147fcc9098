"""Shared test actors and helpers: the regulation's roles (STYLE.md practice 9)."""

from __future__ import annotations

import os
import shutil

import pytest

from lpse.accounts.choices import Role

PASSWORD = "kata-sandi-uji-yang-panjang"


def require_tool(name: str) -> str:
    """Path of a system tool a test needs (chromium, openssl, pdfsig, promtool).

    On a developer's machine without it, the test skips with the reason; in CI
    (LPSE_REQUIRE_TOOLS=1, set by .ci/run, which installs them) a missing tool
    is a failure, so no skip can hide one there.
    """
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian package: see ./test)"
    if os.environ.get("LPSE_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message}; LPSE_REQUIRE_TOOLS=1 forbids skipping")
    pytest.skip(message)


def make_user(username: str, *roles: Role, **fields):
    """A user holding the given roles, with the shared test PASSWORD."""
    from lpse.accounts.models import User, UserRole

    fields.setdefault("email", f"{username}@contoh.go.id")
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def vendor(db):
    return make_user("pt_maju_jaya", Role.VENDOR, email="admin@majujaya.co.id")


@pytest.fixture
def verifier(db):
    return make_user("verifikator", Role.VERIFIER)


@pytest.fixture
def helpdesk(db):
    return make_user("helpdesk", Role.HELPDESK)


@pytest.fixture
def committee(db):
    return make_user("pokja", Role.COMMITTEE)


@pytest.fixture
def head(db):
    return make_user("kepala", Role.HEAD)


@pytest.fixture
def appadmin(db):
    return make_user("admin_aplikasi", Role.APPADMIN)


@pytest.fixture
def sysadmin(db):
    return make_user("admin_sistem", Role.SYSADMIN)


@pytest.fixture
def outsider(db):
    """A logged-in user with no role: must be refused everywhere staff work happens."""
    return make_user("orang_luar")


def login(client, user):
    """Log `user` in on the test client as a real login would, 2FA included.

    Staff roles must pass TOTP (SEC-2); this enrols a confirmed TOTP device and
    marks the session verified, exactly what the OTP step stores on success.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.is_staff_role:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="uji", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
