"""SEC-1: the first administrator, reference work units, and the access helpers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from lpse.accounts.choices import Role
from lpse.accounts.models import User, WorkUnit
from lpse.accounts.services import ensure_first_admin
from lpse.core.access import get_object_for_user, role_required

pytestmark = pytest.mark.django_db


def test_first_admin_is_created_once_with_generated_password():
    """SEC-1: setup creates one superuser holding head, appadmin and sysadmin."""
    from lpse.audit.models import AuditEvent

    user, password = ensure_first_admin(username="admin", email="lpse@contoh.go.id", password=None)
    assert user.is_superuser
    assert len(password) >= 20
    assert User.objects.get(pk=user.pk).check_password(password)
    assert user.role_set == {Role.HEAD, Role.APPADMIN, Role.SYSADMIN}
    assert AuditEvent.objects.filter(action="accounts.first_admin").count() == 1

    again, generated = ensure_first_admin(username="lain", email="x@y.id", password="abc")
    assert again.pk == user.pk
    assert generated is None
    assert User.objects.count() == 1
    assert User.objects.get(pk=user.pk).check_password(password)


def test_first_admin_uses_given_password():
    """SEC-1: LPSE_ADMIN_PASSWORD is used as given and not returned."""
    user, generated = ensure_first_admin(
        username="admin", email="a@b.id", password="Kuda-Lari-Kencang-9"
    )
    assert generated is None
    assert user.check_password("Kuda-Lari-Kencang-9")


def test_load_work_units_is_idempotent():
    """SEC-1: the regency's work units load, and loading again changes nothing."""
    call_command("load_work_units", verbosity=0)
    total = WorkUnit.objects.count()
    assert total >= 50
    assert WorkUnit.objects.filter(name="Kecamatan Tigaraksa").exists()
    assert WorkUnit.objects.filter(name="Dinas Komunikasi dan Informatika").exists()
    WorkUnit.objects.filter(code="SETDA").update(name="Salah ketik")
    call_command("load_work_units", verbosity=0)
    assert WorkUnit.objects.count() == total
    assert WorkUnit.objects.get(code="SETDA").name == "Sekretariat Daerah"


@role_required(Role.VERIFIER)
def verifier_only(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/x/")
    request.user = user
    request.user.is_verified = lambda: True
    return request


def test_role_required_lets_role_holders_and_superusers_in(verifier):
    """SEC-1: the decorator passes holders of the role and superusers."""
    assert verifier_only(_request(verifier)).status_code == 200
    boss = User.objects.create_superuser("super", "s@contoh.id", "Kuda-Lari-Kencang-9")
    assert verifier_only(_request(boss)).status_code == 200


def test_role_required_refuses_others_with_403(helpdesk, vendor, outsider):
    """SEC-1: anyone without the role gets 403."""
    for user in (helpdesk, vendor, outsider):
        with pytest.raises(PermissionDenied):
            verifier_only(_request(user))


def test_role_required_asks_anonymous_to_log_in():
    """SEC-1: an anonymous visitor is redirected to the login page."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = verifier_only(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_get_object_for_user_hides_objects_outside_scope(vendor, verifier):
    """SEC-1: an object outside the user's scope is a 404, like a missing one."""

    def own_only(queryset, user):
        return queryset.filter(pk=user.pk)

    assert get_object_for_user(User.objects.all(), vendor, own_only, pk=vendor.pk) == vendor
    with pytest.raises(Http404):
        get_object_for_user(User.objects.all(), vendor, own_only, pk=verifier.pk)
