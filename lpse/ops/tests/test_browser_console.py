"""The console's charts in real headless Chromium (MON-7): Chart.js renders every
series under the strict CSP, with no console error."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.conftest import browser_login, make_user, screenshot
from lpse.ops.runner import run_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mon_7_console_charts_render_for_lkpp_monitor(
    page, browser_problems, settings, tmp_path, live_server
):
    """MON-7/MON-6: LKPP's monitor logs in, opens the console and the charts: a canvas per
    metric is drawn by Chart.js, and the page reports no errors."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    settings.LPSE_OPS_WEBSITE_URL = live_server.url
    run_all()
    run_all()
    monitor = make_user("pemantau.lkpp", Role.LKPP_MONITOR)
    device = TOTPDevice.objects.create(user=monitor, name="uji", confirmed=True)
    browser_login(page, monitor.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")

    page.goto("/operasi/")
    assert page.locator("#probe-host").is_visible()
    screenshot(page, "ops-01-status")
    page.goto("/operasi/grafik/?rentang=7d")
    page.wait_for_selector("#ops-charts[data-rendered=true]")
    canvases = page.locator("#ops-charts canvas")
    assert canvases.count() >= 10
    memory = page.locator("canvas[data-metric=memory_used_ratio]")
    assert memory.is_visible()
    # Chart.js drew on it: the canvas has a size and non-blank pixels.
    drawn = memory.evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " return c.width > 0 && d.some(v => v !== 0); }"
    )
    assert drawn
    screenshot(page, "ops-02-grafik")
    assert browser_problems == []
