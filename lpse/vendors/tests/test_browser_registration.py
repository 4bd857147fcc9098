"""The vendor path in real headless Chromium, with screenshots (REG-1..REG-5)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.conftest import browser_login, make_user, screenshot
from lpse.sop.services import load_procedures

from .test_registration_helpers import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sandi-Baru-Perusahaan-2026"


def local(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_reg1_to_reg5_vendor_registers_is_verified_activates_and_logs_in(
    page, browser_context_factory, browser_problems, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_procedures()
    ensure_reference_data()
    mail.outbox = []
    # REG-1: the public page, the company e-mail.
    page.goto("/penyedia/daftar/")
    screenshot(page, "vendors-01-daftar")
    page.fill("input[name=email]", "admin@cvmitra.co.id")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "Periksa e-mail Anda" in page.content()
    link = re.search(r"http\S+/penyedia/konfirmasi/\S+/", mail.outbox[-1].body).group(0)
    # REG-2: the online form; a bad NIK is refused and the data stays.
    page.goto(local(link))
    page.fill("input[name=name]", "CV Mitra Usaha")
    page.select_option("select[name=legal_form]", "cv")
    page.fill("input[name=tax_id]", "02.345.678.9-012.000")
    page.fill("input[name=business_id]", "9120009876543")
    page.fill("textarea[name=address]", "Jl. Raya Cikupa No. 8")
    page.fill("input[name=city]", "Kabupaten Tangerang")
    page.fill("input[name=phone]", "021-5960123")
    page.fill("input[name=director_name]", "Siti Rahayu")
    page.fill("input[name=director_id_number]", "12345")
    page.locator("input[name=business_fields]").first.check()
    page.fill("input[name=username]", "cv.mitra")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "NIK harus 16 digit angka sesuai KTP." in page.content()
    assert page.input_value("input[name=name]") == "CV Mitra Usaha"
    screenshot(page, "vendors-02-formulir-salah")
    page.fill("input[name=director_id_number]", "3603125507850002")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "hari kerja lagi" in page.content()
    screenshot(page, "vendors-03-status")
    # REG-4: the verifier (with TOTP) completes the checklist.
    verifier = make_user("verifikator", Role.VERIFIER)
    device = TOTPDevice.objects.create(user=verifier, name="uji", confirmed=True)
    desk = browser_context_factory().new_page()
    browser_login(desk, "verifikator")
    desk.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with desk.expect_navigation():
        desk.press("input[name=token]", "Enter")
    desk.goto("/penyedia/verifikasi/?q=mitra")
    screenshot(desk, "vendors-04-antrean")
    with desk.expect_navigation():
        desk.click("text=Verifikasi >> nth=-1")
    for box in desk.locator("input[type=checkbox][name^=seen_]").all():
        box.check()
    desk.check("input[name=originals_seen]")
    desk.check("input[name=outcome][value=complete]")
    screenshot(desk, "vendors-05-daftar-periksa")
    with desk.expect_navigation():
        desk.click("main form[method=post] button[type=submit]")
    assert "Kode aktivasi telah dikirim" in desk.content()
    screenshot(desk, "vendors-06-hasil")
    # REG-5: the activation e-mail's link; the vendor sets its own password.
    activation = re.search(r"http\S+/penyedia/aktivasi/\?kode=\w+", mail.outbox[-1].body).group(0)
    page.goto(local(activation))
    page.fill("input[name=username]", "cv.mitra")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    screenshot(page, "vendors-07-aktivasi")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    browser_login(page, "cv.mitra", PASSWORD)
    page.goto("/penyedia/status/")
    assert "sudah terverifikasi dan akun sudah aktif" in page.content()
    screenshot(page, "vendors-08-masuk")
    assert browser_problems == []
