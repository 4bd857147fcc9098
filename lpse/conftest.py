"""Shared test actors and helpers: the regulation's roles (STYLE.md practice 9)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lpse.accounts.choices import Role

PASSWORD = "kata-sandi-uji-yang-panjang"  # noqa: S105 - the shared test password


def require_tool(name: str) -> str:
    """Path of a system tool a test needs (chromium, openssl, pdfsig, promtool).

    On a developer's machine without it, the test skips with the reason; in CI
    (LPSE_REQUIRE_TOOLS=1, set by .ci/run, which installs them) a missing tool
    is a failure, so no skip can hide one there.
    """
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian package: see ./test)"
    if os.environ.get("LPSE_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message}; LPSE_REQUIRE_TOOLS=1 forbids skipping")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a test that switches to English (a page
    in English, `translation.activate`) must not leak it into the next test of the worker."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(username: str, *roles: Role, **fields):
    """A user holding the given roles, with the shared test PASSWORD."""
    from lpse.accounts.models import User, UserRole

    fields.setdefault("email", f"{username}@contoh.go.id")
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def vendor(db):
    return make_user("pt_maju_jaya", Role.VENDOR, email="admin@majujaya.co.id")


@pytest.fixture
def verifier(db):
    return make_user("verifikator", Role.VERIFIER)


@pytest.fixture
def helpdesk(db):
    return make_user("helpdesk", Role.HELPDESK)


@pytest.fixture
def committee(db):
    return make_user("pokja", Role.COMMITTEE)


@pytest.fixture
def head(db):
    return make_user("kepala", Role.HEAD)


@pytest.fixture
def appadmin(db):
    return make_user("admin_aplikasi", Role.APPADMIN)


@pytest.fixture
def sysadmin(db):
    return make_user("admin_sistem", Role.SYSADMIN)


@pytest.fixture
def outsider(db):
    """A logged-in user with no role: must be refused everywhere staff work happens."""
    return make_user("orang_luar")


def login(client, user):
    """Log `user` in on the test client as a real login would, 2FA included.

    Staff roles must pass TOTP (SEC-2); this enrols a confirmed TOTP device and
    marks the session verified, exactly what the OTP step stores on success.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.is_staff_role:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="uji", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- Browser tests: real headless Chromium through Playwright -------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's `chromium`, see require_tool).

    Playwright's sync API keeps an event loop in this thread, which makes Django
    refuse ORM calls from the test; the variable allows them while it runs.
    """
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_problems() -> list[str]:
    """What went wrong in the page: console errors (CSP violations included),
    uncaught exceptions, failed requests and error responses. Assert it is empty."""
    return []


def _watch(page, problems: list[str]) -> None:
    def on_console(message):
        if message.type == "error":
            problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_request_failed(request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the test moved on
        # (e.g. the favicon of a page left at once), not a failure of the server.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)


@pytest.fixture
def browser_context_factory(browser, live_server, browser_problems):
    """Make a fresh browser context (own cookies) on the live server; pages it opens
    report into `browser_problems`. Call with `viewport=MOBILE` for a phone."""
    contexts = []

    def make(viewport: dict | None = None, locale: str = "id-ID"):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale=locale
        )
        context.on("page", lambda page: _watch(page, browser_problems))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser_context_factory):
    """A desktop-sized page on the live server, Indonesian browser."""
    return browser_context_factory().new_page()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    from django.urls import reverse

    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
