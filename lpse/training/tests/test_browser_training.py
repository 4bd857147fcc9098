"""File and schedule a training and download its letters, in real headless Chromium
(TRN-1..TRN-3), with screenshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import browser_login, make_user, screenshot
from lpse.sop.services import load_procedures
from lpse.training import scheduling
from lpse.training.choices import RequestStatus
from lpse.training.models import TrainingRequest, TrainingResource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_login(page, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    browser_login(page, user.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")


def download(page, link_text: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"a:has-text('{link_text}') >> nth=0")
    return info.value.path().read_bytes()


def test_trn1_to_trn3_file_schedule_and_download_letters(
    page, browser_context_factory, browser_problems, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    load_procedures()
    TrainingResource.objects.get_or_create(kind="room", name="Ruang Pelatihan LPSE")
    TrainingResource.objects.get_or_create(kind="server", name="Server Latihan SPSE")
    unit = WorkUnit.objects.create(code="1.03", name="Dinas Bina Marga dan SDA")
    agency = make_user("admin_agency", Role.AGENCY_ADMIN, work_unit=unit)
    helpdesk = make_user("helpdesk", Role.HELPDESK)
    make_user("pelatih", Role.TRAINER, first_name="Yudi", last_name="Hermawan")
    mail.outbox = []
    tomorrow = timezone.localdate() + timedelta(days=1)
    wanted = scheduling.propose_slots("vendor", start=tomorrow, count=1)[0].day

    # TRN-1: the work unit files the request with a typed letter.
    staff_login(page, agency)
    page.goto("/pelatihan/ajukan/")
    page.select_option("select[name=audience]", "vendor")
    page.fill("input[name=letter_number]", "027/45/DBM/2026")
    page.fill("input[name=letter_date]", f"{timezone.localdate():%Y-%m-%d}")
    page.fill("textarea[name=letter_text]", "Mohon pelatihan SPSE untuk penyedia binaan.")
    page.fill("input[name=wanted_date]", f"{wanted:%Y-%m-%d}")
    page.fill("input[name=participant_count]", "2")
    page.fill("textarea[name=participant_names]", "Andi Wijaya\nBudi Hartono")
    page.fill("input[name=contact_name]", "Bambang Susilo")
    page.fill("input[name=contact_phone]", "0812-1111-2222")
    page.fill("input[name=contact_email]", "bambang@dbm.tangerangkab.go.id")
    screenshot(page, "training-01-ajukan")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "Permohonan pelatihan tercatat" in page.content()
    training = TrainingRequest.objects.get()

    # TRN-2: the helpdesk records the call and takes the first proposed slot.
    desk = browser_context_factory().new_page()
    staff_login(desk, helpdesk)
    desk.goto(f"/pelatihan/{training.pk}/")
    desk.fill("input[name=call_minutes]", "3")
    with desk.expect_navigation():
        desk.click("button:has-text('Simpan konfirmasi')")
    assert "Konfirmasi telepon tercatat" in desk.content()
    screenshot(desk, "training-02-usulan-jadwal")
    with desk.expect_navigation():
        desk.click("[data-testid=proposals] button >> nth=0")
    assert "Pelatihan terjadwal" in desk.content()

    # TRN-3: reply letter and the trainer's assignment letter, downloaded and sent.
    with desk.expect_navigation():
        desk.click("button:has-text('Buat surat jawaban')")
    reply = download(desk, "Unduh PDF")
    assert reply.startswith(b"%PDF-") and b"SJ-PLT/LPSE" in reply
    with desk.expect_navigation():
        desk.click("button:has-text('Kirim ke bambang@dbm.tangerangkab.go.id')")
    with desk.expect_navigation():
        desk.click("button:has-text('Buat surat tugas pelatih')")
    letters = desk.locator("a:has-text('Unduh PDF')")
    assert letters.count() == 2
    with desk.expect_download() as info:
        letters.nth(1).click()
    assignment = info.value.path().read_bytes()
    assert b"SURAT TUGAS" in assignment and b"Yudi Hermawan" in assignment
    with desk.expect_navigation():
        desk.click("button:has-text('Kirim ke pelatih@contoh.go.id')")
    screenshot(desk, "training-03-surat")
    training.refresh_from_db()
    assert training.status == RequestStatus.ASSIGNED
    assert {message.to[0] for message in mail.outbox} == {
        "bambang@dbm.tangerangkab.go.id",
        "pelatih@contoh.go.id",
    }
    desk.goto(f"/pelatihan/kalender/?bulan={wanted:%Y-%m}")
    assert "09:00-13:00" in desk.content()
    screenshot(desk, "training-04-kalender")
    assert browser_problems == []
