"""The API's documentation page works offline under the site's CSP, and the token page
issues a token that the API then accepts (GEN-3, SEC-4), in real headless Chromium."""

from __future__ import annotations

import pytest

from lpse.accounts.choices import Role
from lpse.conftest import browser_login, make_user, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_gen3_api_docs_page_renders_its_operations_without_csp_violations(page, browser_problems):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/tenders" in [p.strip().replace("\u200b", "") for p in paths]
    screenshot(page, "api-docs")
    assert browser_problems == []


def test_gen3_vendor_issues_a_token_on_its_account_page(page, browser_problems, client):
    make_user("penyedia_token", Role.VENDOR, email="token@maju.co.id")
    browser_login(page, "penyedia_token")
    page.goto("/akun/token-api/")
    page.fill("input[name=name]", "lpse-seal di laptop")
    page.check("input[name=scopes][value='tickets:read']")
    with page.expect_navigation():
        page.click("form[novalidate] button[type=submit]")
    secret = page.locator("#token-baru").inner_text().strip()
    assert secret.startswith("lpse_")
    screenshot(page, "api-token-baru")
    response = client.get("/api/v1/tokens/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["scopes"] == ["tickets:read"]
    assert browser_problems == []
