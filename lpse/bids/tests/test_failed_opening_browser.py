"""ERR-1 in real headless Chromium: the committee files a request for failed bids, LPSE staff
diagnose and record attempts, the signed witness report is made and downloaded, the files go
to LKPP, and the committee sees the status. Screenshots under test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.conftest import browser_login, screenshot

from ..failure_models import FailedOpeningRequest
from .failure_helpers import key_pem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_login(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    browser_login(page, user.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(f"{selector} button[type=submit]")


def test_err_1_committee_files_staff_diagnose_witness_and_escalate_in_browser(
    browser_context_factory, browser_problems, scenario, pokja, lpse_staff, settings, tmp_path
):
    """ERR-1: request -> diagnosis -> attempts -> signed report downloaded -> LKPP e-mail."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tender = scenario["tender"]
    first, second = scenario["results"]

    committee_page = browser_context_factory().new_page()
    staff_login(committee_page, pokja)
    committee_page.goto(f"/penawaran/tender/{tender.code}/gagal-dibuka/baru/?result={first.pk}")
    assert committee_page.is_checked(f"input[name=results][value='{first.pk}']")
    committee_page.check(f"input[name=results][value='{second.pk}']")
    committee_page.select_option("select[name=channel]", "letter")
    committee_page.fill("input[name=letter_reference]", "027/POKJA-DBMSDA/IX/2026")
    committee_page.fill("textarea[name=description]", "Dua penawaran gagal dibuka.")
    screenshot(committee_page, "err1-01-permohonan")
    submit(committee_page, "#form-permohonan")
    filed = FailedOpeningRequest.objects.get()
    assert f"Permohonan {filed.reference} diajukan" in committee_page.content()
    codes = committee_page.locator(".diagnosis").evaluate_all(
        "nodes => nodes.map(node => node.dataset.code)"
    )
    assert codes == ["fingerprint_mismatch", "intact"]

    page = browser_context_factory().new_page()
    staff_login(page, lpse_staff)
    page.goto(f"/penawaran/gagal-dibuka/{filed.pk}/")
    with page.expect_navigation():
        page.click("#mulai-penanganan")
    assert "Ditangani staf LPSE" in page.content()
    good, tampered = filed.files.order_by("pk")
    key_file = tmp_path / "tender.key"
    key_file.write_bytes(key_pem(scenario["key"]))
    form = f"#berkas-{good.pk} form"
    page.set_input_files(f"{form} input[type=file][name$=key_file]", str(key_file))
    page.fill(f"{form} textarea", "Dibuka dengan kunci luring Pokja.")
    submit(page, form)
    assert "Berhasil dibuka" in page.locator(f"#berkas-{good.pk}").inner_text()
    form = f"#berkas-{tampered.pk} form"
    page.set_input_files(f"{form} input[type=file][name$=key_file]", str(key_file))
    submit(page, form)
    assert "Tag/padding gagal" in page.locator(f"#berkas-{tampered.pk}").inner_text()
    screenshot(page, "err1-02-percobaan")
    with page.expect_navigation():
        page.click("#selesai-penanganan")
    page.check(f"#form-berita-acara input[name=witnesses][value='{pokja.pk}']")
    page.check(f"#form-berita-acara input[name=witnesses][value='{lpse_staff.pk}']")
    page.fill("#form-berita-acara textarea", "Budi Santoso - Direktur PT Maju Jaya")
    submit(page, "#form-berita-acara")
    number = page.inner_text("#nomor-berita-acara")
    assert number.endswith("/BAK/LPSE/2026")
    with page.expect_download() as download:
        page.click("#unduh-berita-acara")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ETSI.CAdES.detached" in pdf
    assert page.input_value("#form-lkpp input[name=lkpp_email]") == settings.LPSE_LKPP_EMAIL
    page.fill("#form-lkpp input[name=lkpp_reference]", "")
    submit(page, "#form-lkpp")
    assert page.inner_text("#status-permohonan") == "Diteruskan ke LKPP"
    screenshot(page, "err1-03-lkpp")
    message = mail.outbox[-1]
    assert message.to == [settings.LPSE_LKPP_EMAIL]
    assert len(message.attachments) == 2

    page.fill("#form-jawaban input[name=lkpp_reference]", "LKPP-2026-0042")
    page.fill("#form-jawaban textarea[name=answer]", "Berkas rusak; dinyatakan gagal dibuka.")
    submit(page, "#form-jawaban")
    assert page.inner_text("#status-permohonan") == "Selesai"

    committee_page.goto(f"/penawaran/gagal-dibuka/{filed.pk}/")
    assert committee_page.inner_text("#status-permohonan") == "Selesai"
    assert "LKPP-2026-0042" in committee_page.content()
    assert "Unduh isi penawaran" in committee_page.content()
    assert browser_problems == []
