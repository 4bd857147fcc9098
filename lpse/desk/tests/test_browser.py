"""The helpdesk in real headless Chromium: log a phone call, answer it, escalate to LKPP,
record LKPP's answer and close (DESK-1, DESK-2, DESK-3), with screenshots."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.conftest import browser_login, make_user, screenshot
from lpse.desk.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.click(f"{form_selector} button[type=submit]")


def test_desk_1_to_3_phone_call_answered_escalated_to_lkpp_and_closed(
    page, browser_problems, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = make_user("dewi.helpdesk", Role.HELPDESK, first_name="Dewi")
    device = TOTPDevice.objects.create(user=officer, name="uji", confirmed=True)
    browser_login(page, "dewi.helpdesk")
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")

    # DESK-1: a phone call from a committee member without e-mail, from one form.
    page.goto("/layanan/catat/")
    page.select_option("select[name=requester_type]", "committee")
    page.select_option("select[name=channel]", "phone")
    page.select_option("select[name=topic]", label="Pembukaan dokumen penawaran")
    page.fill("input[name=requester_name]", "Bu Sari, Pokja Dinas PU")
    page.fill("input[name=requester_phone]", "021-5991234")
    page.fill("textarea[name=question]", "Tombol pembukaan penawaran galat 500 pada paket 10234.")
    screenshot(page, "desk-01-catat-telepon")
    submit(page, "main form[method=post]")
    ticket = Ticket.objects.get()
    assert f"Tiket {ticket.reference} tercatat" in page.content()
    assert "tanpa e-mail" in page.content()

    # DESK-2: the answer (an interim one: the problem goes to LKPP).
    page.fill("#id_body", "Kami teruskan ke LKPP; jawaban kami sampaikan lewat telepon.")
    submit(page, f"form[action='/layanan/tiket/{ticket.pk}/jawab/']")
    assert "Jawaban tersimpan." in page.content()
    screenshot(page, "desk-02-dijawab")

    # DESK-3: escalation with reason, what was sent and LKPP's reference.
    page.check("input[name=reason][value=cannot_solve]")
    page.fill("textarea[name=sent_summary]", "Galat 500 pada pembukaan penawaran paket 10234.")
    page.fill("input[name=lkpp_reference]", "LKPP-2026-0777")
    submit(page, f"form[action='/layanan/tiket/{ticket.pk}/eskalasi/']")
    assert "jam layanan LPSE dijeda" in page.content()
    assert "Menunggu LKPP" in page.content()
    screenshot(page, "desk-03-eskalasi")

    page.fill("textarea[name=answer]", "Sudah diperbaiki di server; silakan coba lagi.")
    escalation = ticket.escalations.get()
    submit(page, f"form[action='/layanan/eskalasi/{escalation.pk}/jawaban/']")
    assert "Jawaban LKPP dicatat" in page.content()

    # Close.
    status_form = f"form[action='/layanan/tiket/{ticket.pk}/status/']"
    page.select_option(f"{status_form} select[name=status]", "closed")
    page.fill(f"{status_form} input[name=note]", "Pokja mengonfirmasi lewat telepon: berhasil.")
    submit(page, f"form[action='/layanan/tiket/{ticket.pk}/status/']")
    assert "Status tiket diperbarui." in page.content()
    assert "Buka kembali tiket" in page.content()
    screenshot(page, "desk-04-ditutup")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    moves = list(ticket.transitions.values_list("to_status", flat=True))
    assert moves == ["new", "answered", "waiting_lkpp", "answered", "closed"]
    assert browser_problems == []
