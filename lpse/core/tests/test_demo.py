"""`lpse demo`: sample staff of every role, clearly marked, never mixed into real data.

SEC-1 (every role of the regulation has a demo account), GEN-2 (a newcomer can
click through a fresh instance).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.accounts.models import User, UserRole, WorkUnit
from lpse.conftest import login, make_user
from lpse.core.management.commands.demo import PEOPLE

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "kata-sandi-demo-bersama"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """`lpse demo` stores the demo tenders' documents: keep them out of the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def work_units(db):
    return WorkUnit.objects.bulk_create(
        [
            WorkUnit(code="1.01", name="Dinas Pendidikan"),
            WorkUnit(code="1.02", name="Dinas Kesehatan"),
            WorkUnit(code="1.03", name="Dinas Bina Marga dan Sumber Daya Air"),
            WorkUnit(code="2.16", name="Dinas Komunikasi dan Informatika"),
        ]
    )


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_marked_staff_of_every_role(work_units):
    output = run_demo("--password", DEMO_PASSWORD)
    demo_users = User.objects.filter(is_demo=True, vendor__isnull=True)
    assert demo_users.count() == len(PEOPLE)
    assert all(user.username.startswith("demo_") for user in demo_users)
    assert all(user.check_password(DEMO_PASSWORD) for user in demo_users)
    held = set(UserRole.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert held == {str(role) for role in Role}
    counts = {role: UserRole.objects.filter(user__is_demo=True, role=role).count() for role in Role}
    assert counts[Role.VERIFIER] == 2
    assert counts[Role.HELPDESK] == 2
    assert counts[Role.COMMITTEE] == 3
    for person in PEOPLE:
        assert person.username in output
        for role in person.roles:
            assert str(role.label) in output
    assert DEMO_PASSWORD not in output


def test_demo_places_staff_in_realistic_work_units(work_units):
    run_demo("--password", DEMO_PASSWORD)
    head = User.objects.get(username="demo_kepala")
    assert head.get_full_name() == "Hendra Gunawan"
    assert head.work_unit.name == "Dinas Komunikasi dan Informatika"
    assert User.objects.get(username="demo_pokja3").work_unit.name == "Dinas Kesehatan"
    ppk = User.objects.get(username="demo_ppk")
    assert ppk.work_unit.name == "Dinas Bina Marga dan Sumber Daya Air"
    assert User.objects.get(username="demo_lkpp").work_unit is None


def test_demo_prints_a_generated_password_once_that_works(work_units):
    output = run_demo()
    line = output.split("dicetak sekali ini saja):", 1)[1].split()[0]
    assert User.objects.get(username="demo_kepala").check_password(line)
    again = run_demo()
    assert line not in again
    assert "kata sandinya tidak diubah" in again
    assert User.objects.get(username="demo_kepala").check_password(line)


def test_demo_twice_creates_nothing_twice(work_units):
    run_demo("--password", DEMO_PASSWORD)
    roles_before = UserRole.objects.count()
    output = run_demo("--password", "kata-sandi-demo-yang-baru")
    assert User.objects.filter(is_demo=True, vendor__isnull=True).count() == len(PEOPLE)
    assert UserRole.objects.count() == roles_before
    assert "0 akun demo baru" in output
    assert User.objects.get(username="demo_ppk").check_password("kata-sandi-demo-yang-baru")


def test_demo_may_run_beside_the_first_administrator(work_units):
    User.objects.create_superuser("admin", "admin@contoh.go.id", "kata-sandi-admin-panjang")
    run_demo("--password", DEMO_PASSWORD)
    assert User.objects.filter(is_demo=True, vendor__isnull=True).count() == len(PEOPLE)


def test_demo_refuses_an_instance_with_real_users(work_units):
    User.objects.create_superuser("admin", "admin@contoh.go.id", "kata-sandi-admin-panjang")
    make_user("pt_nyata", Role.VENDOR)
    with pytest.raises(CommandError, match="pt_nyata"):
        run_demo("--password", DEMO_PASSWORD)
    assert not User.objects.filter(is_demo=True, vendor__isnull=True).exists()
    run_demo("--password", DEMO_PASSWORD, "--force")
    assert User.objects.filter(is_demo=True, vendor__isnull=True).count() == len(PEOPLE)


def test_demo_rejects_a_weak_password(work_units):
    with pytest.raises(CommandError, match="--password"):
        run_demo("--password", "pendek")
    assert not User.objects.filter(is_demo=True, vendor__isnull=True).exists()


def test_demo_loads_the_regency_work_units_when_there_are_none():
    run_demo("--password", DEMO_PASSWORD)
    assert WorkUnit.objects.exists()
    assert User.objects.get(username="demo_pokja1").work_unit is not None


def test_demo_creation_is_in_the_audit_chain(work_units):
    from lpse.audit.models import AuditEvent

    run_demo("--password", DEMO_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.demo_user_create").count() == len(PEOPLE)


def test_demo_user_sees_the_demo_badge_on_the_dashboard(client, work_units):
    run_demo("--password", DEMO_PASSWORD)
    login(client, User.objects.get(username="demo_verifikator1"))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "DATA DEMO" in html
    assert "Verifikator" in html
