"""The main pages in a real headless Chromium (GEN-1, SEC-4).

Each page must render with no console error (a CSP violation is one), no
uncaught script error and no failed or error request; a screenshot of each is
kept under test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.conftest import MOBILE, browser_login, make_user, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_cleanly_in_indonesian(page, browser_problems):
    page.goto(reverse("core:home"))
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text().startswith("LPSE")
    assert page.get_by_role("heading", name="Layanan LPSE").is_visible()
    # Our stylesheet and Bootstrap's are applied, not just linked.
    navbar_colour = page.locator("nav.navbar").evaluate(
        "el => getComputedStyle(el).borderBottomStyle"
    )
    assert navbar_colour == "solid"
    screenshot(page, "home")
    assert browser_problems == []


def test_home_on_a_phone_collapses_the_menu(browser_context_factory, browser_problems):
    page = browser_context_factory(viewport=MOBILE).new_page()
    page.goto(reverse("core:home"))
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#lpse-nav").is_visible()
    toggler.click()  # Bootstrap's script runs under the CSP
    page.locator("#lpse-nav.show").wait_for()
    screenshot(page, "home-mobile-menu")
    toggler.click()
    page.locator("#lpse-nav.show").wait_for(state="detached")
    screenshot(page, "home-mobile")
    assert browser_problems == []


def test_language_switch_turns_the_page_english(page, browser_problems):
    """GEN-1: English is one click away and stays for the next pages."""
    page.goto(reverse("core:home"))
    with page.expect_navigation():
        page.locator("button[name=language][value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="LPSE services").is_visible()
    page.goto(reverse("accounts:login"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert browser_problems == []


def test_login_page_renders_cleanly(page, browser_problems):
    page.goto(reverse("accounts:login"))
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    screenshot(page, "login")
    assert browser_problems == []


def test_vendor_logs_in_through_the_form_and_sees_the_dashboard(page, browser_problems):
    make_user("cv_sinar_abadi", Role.VENDOR, first_name="Budi", last_name="Santoso")
    browser_login(page, "cv_sinar_abadi")
    assert page.url.endswith(reverse("core:dashboard"))
    assert page.get_by_text("Selamat datang, Budi Santoso").is_visible()
    assert page.get_by_text("Penyedia Barang/Jasa").first.is_visible()
    screenshot(page, "dashboard-vendor")
    assert browser_problems == []


def test_sop_list_and_detail_render_cleanly(page, browser_problems):
    call_command("load_sops", verbosity=0)
    page.goto(reverse("sop:list"))
    links = page.locator("main a[href^='/sop/']")
    assert links.count() > 0
    screenshot(page, "sop-list")
    with page.expect_navigation():
        links.first.click()
    assert page.url != page.url.split("/sop/")[0] + reverse("sop:list")
    assert page.get_by_role("heading", level=1).is_visible()
    screenshot(page, "sop-detail")
    assert browser_problems == []
