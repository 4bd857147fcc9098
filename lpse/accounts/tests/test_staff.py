"""SEC-1: the head and the appadmin manage staff accounts and roles, audited."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts import services
from lpse.accounts.choices import Role
from lpse.accounts.models import User, UserRole, WorkUnit
from lpse.conftest import login, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:staff_list")
CREATE = reverse("accounts:staff_create")


def events(action: str):
    from lpse.audit.models import AuditEvent

    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def unit(db):
    return WorkUnit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.mark.parametrize("actor", ["outsider", "vendor", "verifier", "helpdesk", "sysadmin"])
def test_staff_pages_refused_to_others(client, request, actor, head):
    """SEC-1: only the head and the appadmin reach the staff pages (403 for others)."""
    user = request.getfixturevalue(actor)
    login(client, user)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("accounts:staff_edit", args=[head.pk])).status_code == 403
    response = client.post(CREATE, {"username": "penyusup", "email": "x@contoh.id"})
    assert response.status_code == 403
    assert not User.objects.filter(username="penyusup").exists()
    assert "Akses ditolak" in client.get(LIST).text


def test_anonymous_is_sent_to_login(client):
    """SEC-1: the staff page asks an anonymous visitor to log in."""
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("manager", ["head", "appadmin"])
def test_manager_creates_staff_who_gets_a_set_password_link(
    client, request, manager, unit, django_capture_on_commit_callbacks
):
    """SEC-1/SEC-2: the manager creates a staff user without ever seeing a password;
    the new user receives an Indonesian e-mail with a link and sets their own."""
    by = request.getfixturevalue(manager)
    login(client, by)
    form = client.get(CREATE)
    assert 'type="password"' not in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CREATE,
            {
                "username": "siti.verif",
                "first_name": "Siti",
                "last_name": "Rahmawati",
                "email": "siti@tangerangkab.go.id",
                "phone": "0812-1111-2222",
                "work_unit": unit.pk,
                "roles": [Role.VERIFIER, Role.HELPDESK],
            },
        )
    staff = User.objects.get(username="siti.verif")
    assert response["Location"] == reverse("accounts:staff_edit", args=[staff.pk])
    assert not staff.has_usable_password()
    assert staff.role_set == {Role.VERIFIER, Role.HELPDESK}
    assert staff.work_unit == unit
    event = events("accounts.staff_create").get()
    assert event.actor_id == by.pk

    page = client.get(response["Location"])
    assert "siti@tangerangkab.go.id" in page.text
    assert not re.search(r"[Kk]ata sandi\s*:", page.text)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@tangerangkab.go.id"]
    assert "buat kata sandi" in message.subject.lower()
    assert "Nama pengguna: siti.verif" in message.body
    link = re.search(r"https?://\S+/kata-sandi/atur/\S+/", message.body).group(0)

    client.post(reverse("accounts:logout"))
    confirm = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    set_url = confirm.redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "Ladang-Padi-Hijau-7", "new_password2": "Ladang-Padi-Hijau-7"}
    )
    staff.refresh_from_db()
    assert staff.check_password("Ladang-Padi-Hijau-7")


def test_create_refuses_taken_username_and_missing_role(client, head, verifier):
    """SEC-1: bad input is shown next to the field in Indonesian; nothing is created."""
    login(client, head)
    response = client.post(
        CREATE,
        {"username": verifier.username.upper(), "first_name": "A", "email": "a@contoh.id"},
    )
    assert response.status_code == 200
    assert "Nama pengguna ini sudah dipakai." in response.text
    assert "Pilih sedikitnya satu peran." in response.text
    assert User.objects.count() == 2
    assert mail.outbox == []


def test_manager_changes_roles_with_one_audit_event_per_change(client, head, verifier):
    """SEC-1: granting and revoking roles is audited role by role."""
    login(client, head)
    response = client.post(
        reverse("accounts:staff_edit", args=[verifier.pk]),
        {
            "action": "save",
            "first_name": "Budi",
            "email": verifier.email,
            "roles": [Role.HELPDESK, Role.TRAINER],
        },
    )
    assert response.status_code == 302
    verifier = User.objects.get(pk=verifier.pk)
    assert verifier.role_set == {Role.HELPDESK, Role.TRAINER}
    assert events("accounts.role_grant").count() == 2
    assert events("accounts.role_revoke").count() == 1
    assert events("accounts.staff_update").count() == 1


def test_nobody_can_remove_their_own_manager_role(client, head):
    """SEC-1: the head cannot demote themselves (someone must remain able to manage)."""
    login(client, head)
    response = client.post(
        reverse("accounts:staff_edit", args=[head.pk]),
        {"action": "save", "first_name": "Kepala", "email": head.email, "roles": [Role.HELPDESK]},
    )
    assert response.status_code == 200
    assert "tidak dapat mencabut peran pengelola staf milik Anda sendiri" in response.text
    assert User.objects.get(pk=head.pk).role_set == {Role.HEAD}
    assert not events("accounts.role_revoke").exists()


def test_nobody_can_deactivate_themselves(client, appadmin):
    """SEC-1: a manager cannot deactivate their own account."""
    login(client, appadmin)
    url = reverse("accounts:staff_edit", args=[appadmin.pk])
    page = client.post(url, {"action": "deactivate"}, follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in page.text
    assert User.objects.get(pk=appadmin.pk).is_active


def test_appadmin_cannot_appoint_the_head(appadmin, verifier):
    """SEC-1: only a head (or superuser) grants the Kepala LPSE role."""
    with pytest.raises(ValidationError):
        services.update_staff_user(
            verifier,
            by=appadmin,
            roles=[Role.HEAD],
            first_name="",
            last_name="",
            email=verifier.email,
            phone="",
            work_unit=None,
        )
    assert not UserRole.objects.filter(user=verifier, role=Role.HEAD).exists()


def test_deactivate_locks_the_user_out_and_reactivate_restores(client, head, helpdesk):
    """SEC-1: a deactivated staff user's open session stops working at once."""
    their_client = login(Client(), helpdesk)
    assert their_client.get(reverse("core:dashboard")).status_code == 200

    login(client, head)
    url = reverse("accounts:staff_edit", args=[helpdesk.pk])
    client.post(url, {"action": "deactivate"})
    assert not User.objects.get(pk=helpdesk.pk).is_active
    assert events("accounts.deactivate").count() == 1
    assert their_client.get(reverse("core:dashboard")).status_code == 302

    client.post(url, {"action": "reactivate"})
    assert User.objects.get(pk=helpdesk.pk).is_active
    assert events("accounts.reactivate").count() == 1


def test_reset_two_factor_makes_the_user_enrol_again(client, head, verifier):
    """SEC-2: after a 2FA reset the user's devices are gone and they must enrol anew."""
    login(client, head)
    login_client = login(Client(), verifier)
    assert TOTPDevice.objects.filter(user=verifier).exists()
    client.post(reverse("accounts:staff_edit", args=[verifier.pk]), {"action": "reset_2fa"})
    assert not TOTPDevice.objects.filter(user=verifier).exists()
    assert events("accounts.reset_2fa").count() == 1
    response = login_client.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_vendors_are_not_managed_here(client, head, vendor):
    """SEC-1: the staff pages neither list nor open vendor accounts."""
    login(client, head)
    assert vendor.username not in client.get(LIST).text
    assert client.get(reverse("accounts:staff_edit", args=[vendor.pk])).status_code == 404


def test_staff_list_searches(client, head, verifier, helpdesk):
    """SEC-1: the list filters by name, user name, e-mail or work unit."""
    login(client, head)
    page = client.get(LIST, {"q": "verif"})
    assert f">{verifier.username}</a>" in page.text
    # The menu says "Antrean helpdesk": look for the user name as a list entry.
    assert f">{helpdesk.username}</a>" not in page.text


def _make_staff(count: int, unit: WorkUnit, start: int = 0) -> None:
    for number in range(start, start + count):
        make_user(f"staf{number:03d}", Role.VERIFIER, Role.TRAINER, work_unit=unit)


@pytest.mark.parametrize("count", [3, 30])
def test_staff_list_query_count_does_not_grow(
    client, head, unit, count, django_assert_max_num_queries
):
    """SEC-1: the staff list costs the same queries for 3 or 30 users (roles prefetched)."""
    _make_staff(count, unit)
    login(client, head)
    client.get(LIST)  # warm caches (content types, site)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200
    # Page 1: the head and 24 of the new staff, each showing their roles.
    assert response.text.count("Verifikator") == min(count, 24)


def test_staff_list_query_count_is_equal_for_3_and_30(client, head, unit):
    """SEC-1: exactly the same number of queries for 3 and 30 staff users."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, head)
    counts = []
    for total in (3, 30):
        existing = User.objects.filter(username__startswith="staf").count()
        _make_staff(total - existing, unit, start=existing)
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        counts.append(len(queries))
    assert counts[0] == counts[1]
