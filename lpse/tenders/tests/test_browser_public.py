"""A visitor finds a tender, reads its schedule history and downloads its OCDS data in
a real browser, desktop and phone (BID-5, ERR-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from lpse.conftest import MOBILE, screenshot

from .public_data import START, full_history, make_tender, people


@pytest.mark.browser
@time_machine.travel(START + timedelta(days=30), tick=True)
def test_visitor_searches_reads_history_and_gets_ocds_BID_5(
    transactional_db, page, browser_context_factory, browser_problems
):
    who = people()
    tender = full_history(who, "10000011")
    make_tender(who, "10000012", name="Pengadaan Laptop untuk SMP Negeri", category="goods")

    page.goto("/")
    page.get_by_role("link", name="Daftar tender").first.click()
    page.get_by_role("searchbox", name="Cari").fill("rehabilitasi")
    page.get_by_role("button", name="Cari").click()
    assert page.locator("tbody tr").count() == 1
    screenshot(page, "tenders-public-01-daftar")
    page.get_by_role("link", name=tender.name).click()
    history = page.locator("#riwayat-jadwal")
    assert "Adendum dokumen pemilihan" in history.inner_text()
    assert "Ahmad Fauzi" in history.inner_text()
    screenshot(page, "tenders-public-02-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="Rilis OCDS 1.1 paket ini (JSON)").click()
    assert download.value.suggested_filename == "ocds-10000011.json"

    phone = browser_context_factory(viewport=MOBILE).new_page()
    phone.goto(f"/tender/{tender.code}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "tenders-public-03-detail-ponsel")
    phone.goto(f"/spse/lelang/{tender.code}/jadwal")
    assert "1 kali perubahan" in phone.content()
    assert browser_problems == []
