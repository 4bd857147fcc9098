"""SAFER activation after desk verification (REG-5) and two verifiers at once (REG-4)."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lpse.conftest import login
from lpse.sop.choices import CaseStatus
from lpse.sop.services import load_procedures
from lpse.vendors import selectors, services
from lpse.vendors.choices import VendorStatus
from lpse.vendors.models import ActivationCode, VerificationChecklistItem

from .test_registration_helpers import ensure_reference_data, make_applicant, registry  # noqa: F401 - fixture

NEW_PASSWORD = "Rahasia-Perusahaan-2026!"
CODE = re.compile(r"Kode aktivasi: ([A-Z0-9]{5}-[A-Z0-9]{5})")


def complete(client, verifier, vendor, capture):
    items = VerificationChecklistItem.objects.filter(active=True)
    data = {f"seen_{item.pk}": "on" for item in items}
    data.update(outcome="complete", originals_seen="on")
    login(client, verifier)
    with capture(execute=True):
        return client.post(reverse("vendors:desk_verify", args=[vendor.pk]), data, follow=True)


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_reg5_completion_sends_activation_code_and_slip_never_shows_it_on_screen(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    vendor = make_applicant()
    mailoutbox.clear()
    response = complete(client, verifier, vendor, django_capture_on_commit_callbacks)
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.VERIFIED and vendor.verified_by == verifier
    assert vendor.sop_case.status == CaseStatus.CLOSED
    assert vendor.sop_case.runs.get(step__number=9).ended_at is not None
    message = mailoutbox[-1]
    code = CODE.search(message.body).group(1)
    screen = response.content.decode()
    assert "Kode aktivasi telah dikirim ke e-mail perusahaan" in screen
    assert code not in screen and code.replace("-", "") not in screen
    stored = ActivationCode.objects.get()
    assert stored.code_hash == services.token_hash(code.replace("-", ""))
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    slip = client.get(reverse("vendors:desk_slip"))
    assert slip["Content-Type"] == "application/pdf"
    assert code.encode() in slip.content and b"majujaya" in slip.content
    again = client.get(reverse("vendors:desk_slip"), follow=True)
    assert "Slip aktivasi sudah dicetak atau tidak tersedia." in again.content.decode()
    assert not vendor.user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_reg5_vendor_sets_its_own_password_once_then_logs_in(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    vendor = make_applicant()
    complete(client, verifier, vendor, django_capture_on_commit_callbacks)
    code = CODE.search(mailoutbox[-1].body).group(1)
    client.logout()
    url = reverse("vendors:activate")
    wrong = client.post(
        url,
        {
            "username": "majujaya",
            "code": "ABCDE-FGHJK",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert "User ID atau kode aktivasi salah" in wrong.content.decode()
    weak = client.post(
        url, {"username": "majujaya", "code": code, "password1": "12345", "password2": "12345"}
    )
    assert weak.status_code == 200 and "password1" in weak.context["form"].errors
    done = client.post(
        url,
        {
            "username": "majujaya",
            "code": code.lower(),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    vendor.refresh_from_db()
    assert vendor.activated_at is not None and vendor.can_edit_company_data and vendor.can_bid
    reuse = client.post(
        url,
        {
            "username": "majujaya",
            "code": code,
            "password1": "Lain-Lagi-2026!",
            "password2": "Lain-Lagi-2026!",
        },
    )
    assert "sudah dipakai" in reuse.content.decode()
    login_page = client.post(
        reverse("accounts:login"), {"username": "majujaya", "password": NEW_PASSWORD}
    )
    assert login_page.status_code == 302
    assert int(client.session["_auth_user_id"]) == vendor.user_id
    status = client.get(reverse("vendors:status"))
    assert "sudah terverifikasi dan akun sudah aktif" in status.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_reg5_activation_code_expires_after_7_days(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    vendor = make_applicant()
    complete(client, verifier, vendor, django_capture_on_commit_callbacks)
    code = CODE.search(mailoutbox[-1].body).group(1)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.post(
            reverse("vendors:activate"),
            {
                "username": "majujaya",
                "code": code,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert "kedaluwarsa" in response.content.decode()
    vendor.user.refresh_from_db()
    assert not vendor.user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_reg5_desk_reissues_an_expired_activation_code_and_the_old_one_stops_working(
    client, verifier, mailoutbox, django_capture_on_commit_callbacks
):
    """REG-5: a lost or expired code is replaced from the desk search; only the new one works."""
    vendor = make_applicant()
    complete(client, verifier, vendor, django_capture_on_commit_callbacks)
    old_code = CODE.search(mailoutbox[-1].body).group(1)
    later = timezone.now() + timedelta(days=2)  # the old code is still in date: lost, not expired
    with time_machine.travel(later, tick=False):
        login(client, verifier)
        desk = client.get(reverse("vendors:desk"), {"q": vendor.registration_number})
        assert "Terbitkan ulang kode aktivasi" in desk.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("vendors:desk_reissue", args=[vendor.pk]), follow=True)
        page = response.content.decode()
        assert "Kode aktivasi baru dikirim" in page
        new_code = CODE.search(mailoutbox[-1].body).group(1)
        assert new_code != old_code and new_code not in page  # never on the verifier's screen
        assert client.get(reverse("vendors:desk_slip"))["Content-Type"] == "application/pdf"

        def activate(code):
            return client.post(
                reverse("vendors:activate"),
                {
                    "username": "majujaya",
                    "code": code,
                    "password1": NEW_PASSWORD,
                    "password2": NEW_PASSWORD,
                },
            )

        client.logout()
        assert "kedaluwarsa" in activate(old_code).content.decode()
        assert activate(new_code).status_code == 302
    vendor.user.refresh_from_db()
    assert vendor.user.has_usable_password()
    assert selectors.awaiting_activation(vendor.registration_number) == []


@pytest.mark.django_db(transaction=True)
def test_reg4_two_verifiers_completing_at_once_exactly_one_succeeds(verifier):
    """Real concurrent transactions on PostgreSQL (SQLite has no row locks to test)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run with DATABASE_URL=postgres://...")
    from lpse.accounts.choices import Role
    from lpse.conftest import make_user

    load_procedures()
    ensure_reference_data()
    second = make_user("verifikator2", Role.VERIFIER)
    vendor = make_applicant()
    items = list(VerificationChecklistItem.objects.filter(active=True))
    checks = [services.CheckInput(item, True) for item in items]
    verification = services.open_verification(vendor, by=verifier)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(user):
        try:
            barrier.wait(timeout=10)
            services.decide_verification(
                verification,
                outcome="complete",
                checks=checks,
                originals_seen=True,
                by=user,
            )
            results.append("ok")
        except services.AlreadyDecided as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(user,)) for user in (verifier, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok"
    assert results.count("ok") == 1
    refused = next(r for r in results if r != "ok")
    assert "sudah diselesaikan oleh verifikator lain" in refused
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.VERIFIED
    assert ActivationCode.objects.filter(user=vendor.user).count() == 1
