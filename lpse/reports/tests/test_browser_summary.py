"""RPT-1: the monthly summary's bar charts in real headless Chromium, drawn by the shared
charts script from the JSON in the page, under the strict CSP and with no console error."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.conftest import browser_login, screenshot

from . import summary_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rpt1_monthly_summary_charts_render_for_the_head(
    page, browser_problems, verifier, helpdesk, committee, head
):
    summary_data.build(verifier=verifier, helpdesk=helpdesk, committee=committee, head=head)
    device = TOTPDevice.objects.create(user=head, name="uji", confirmed=True)
    browser_login(page, head.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")

    page.goto("/laporan/bulanan/?bulan=2026-10")
    page.wait_for_selector("#grafik-ringkasan[data-rendered=true]")
    canvases = page.locator("#grafik-ringkasan canvas")
    assert canvases.count() >= 8
    drawn = canvases.first.evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " return c.width > 0 && d.some(v => v !== 0); }"
    )
    assert drawn
    screenshot(page, "reports-01-ringkasan-bulanan")
    assert browser_problems == []
