"""A server-room visit in real headless Chromium: request -> approval -> entry -> exit ->
report (INF-1), with the maintenance banner on the pages (MON-5) and screenshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.conftest import browser_login, make_user, screenshot

from .. import window_services
from ..choices import VisitStatus
from ..models import VisitRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_login(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    browser_login(page, user.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")


def submit(page, form_selector: str = "main form[method=post]") -> None:
    with page.expect_navigation():
        page.click(f"{form_selector} button[type=submit]")


def test_inf1_visitor_request_approval_entry_exit_and_report(
    page, browser_context_factory, browser_problems
):
    helpdesk = make_user("helpdesk", Role.HELPDESK, first_name="Rina")
    head = make_user("kepala", Role.HEAD, first_name="Kepala")
    sysadmin = make_user("admin_sistem", Role.SYSADMIN)
    now = timezone.now()
    window_services.schedule_window(
        starts_at=now + timedelta(hours=5),
        ends_at=now + timedelta(hours=7),
        services="Seluruh aplikasi SPSE",
        message="Pembaruan server basis data.",
        read_only=True,
        banner_hours=48,
        confirm_overlap=False,
        by=sysadmin,
    )
    start = timezone.localtime(now + timedelta(hours=1))

    # The helpdesk asks for a technician from outside.
    staff_login(page, helpdesk)
    page.goto("/fasilitas/kunjungan/ajukan/")
    assert page.locator("[data-maintenance]").count() == 1  # MON-5 banner on every page
    page.fill("input[name=visitor_name]", "Budi Teknisi")
    page.select_option("select[name=identity_type]", "ktp")
    page.fill("input[name=identity_number]", "3603123456780001")
    page.fill("input[name=organisation]", "PT Jaringan Nusantara")
    page.fill("textarea[name=purpose]", "Penggantian switch inti")
    page.fill("input[name=planned_start]", f"{start:%Y-%m-%dT%H:%M}")
    page.fill("input[name=planned_end]", f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    screenshot(page, "facility-01-ajukan")
    submit(page)
    assert "menunggu persetujuan Kepala LPSE" in page.content()
    visit = VisitRequest.objects.get()

    # The head approves.
    boss = browser_context_factory().new_page()
    staff_login(boss, head)
    boss.goto(f"/fasilitas/kunjungan/{visit.pk}/")
    boss.select_option("select[name=decision]", "approve")
    boss.fill("textarea[name=reason]", "Sesuai jadwal pemeliharaan jaringan")
    screenshot(boss, "facility-02-putuskan")
    submit(boss)
    assert "Keputusan tercatat." in boss.content()

    # The sysadmin records entry and exit.
    guard = browser_context_factory().new_page()
    staff_login(guard, sysadmin)
    guard.goto(f"/fasilitas/kunjungan/{visit.pk}/")
    with guard.expect_navigation():
        guard.click("button:has-text('Catat masuk sekarang')")
    assert guard.locator("#waktu-masuk").count() == 1
    with guard.expect_navigation():
        guard.click("button:has-text('Catat keluar sekarang')")
    assert guard.locator("#waktu-keluar").count() == 1
    screenshot(guard, "facility-03-keluar")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.LEFT

    # The head reads who was in the room today.
    today = timezone.localdate()
    boss.goto(f"/fasilitas/kunjungan/laporan/?start={today:%Y-%m-%d}&end={today:%Y-%m-%d}")
    assert "Budi Teknisi" in boss.locator("#laporan-kunjungan").inner_text()
    screenshot(boss, "facility-04-laporan")
    assert browser_problems == []


def test_inf3_environment_page_draws_the_climate_charts(page, browser_problems):
    """INF-3: the readings page draws temperature and humidity with their bounds (vendored
    Chart.js, no inline script), without a browser error."""
    from .. import env_services

    sysadmin = make_user("admin_sistem", Role.SYSADMIN)
    for minutes, temperature in [(90, 22.4), (60, 23.1), (30, 24.8), (0, 23.0)]:
        at = timezone.now() - timedelta(minutes=minutes)
        env_services.record_reading(
            place="Ruang server", quantity="temperature", value=temperature, at=at
        )
        env_services.record_reading(place="Ruang server", quantity="humidity", value=50, at=at)
    staff_login(page, sysadmin)
    page.goto("/fasilitas/lingkungan/")
    page.wait_for_selector("#facility-env-charts[data-rendered=true]")
    assert page.locator("#facility-env-charts canvas").count() == 2
    screenshot(page, "facility-05-lingkungan")
    assert browser_problems == []
