"""The base layout, home page, dashboard, navigation by role and security headers.

SEC-1 (each role is offered only its part), SEC-4 (CSP and permissions headers),
GEN-1 (Indonesian pages with an English switch).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

from lpse.accounts.choices import Role
from lpse.conftest import login, make_user
from lpse.core import nav
from lpse.core.middleware import CONTENT_SECURITY_POLICY

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"

pytestmark = pytest.mark.django_db


def nav_keys(user, section: nav.Section | None = None) -> set[str]:
    """Keys of the registry items `user` may see (whether or not their app is installed)."""
    return {
        item.key
        for item in nav.ITEMS
        if item.visible_to(user) and (section is None or item.section == section)
    }


def test_every_nav_item_reverses():
    """Every link of the navigation registry points at an installed URL."""
    missing = []
    for item in nav.ITEMS:
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            missing.append(item.url_name)
    assert missing == []


def test_home_is_public_and_describes_the_lpse_services(client):
    """GEN-1: the public home page is in Indonesian and states the services of Pasal 3."""
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert settings.LPSE_NAME in html
    assert settings.LPSE_PARENT in html
    for service in (
        "Registrasi dan verifikasi penyedia barang/jasa",
        "helpdesk dan pelatihan",
        "Penanganan masalah",
        "Pemeliharaan dan pengamanan infrastruktur",
        "Pemeliharaan kinerja dan kapasitas",
        "Pengarsipan dokumen elektronik",
    ):
        assert service in html
    assert "Peraturan Bupati Tangerang Nomor 40 Tahun 2011" in html


def test_home_shows_verification_desk_hours_from_settings(client, settings):
    settings.LPSE_VERIFICATION_HOURS = "09:00-14:30"
    html = client.get(reverse("core:home")).content.decode()
    assert "Hari kerja, pukul 09:00\N{EN DASH}14:30 WIB" in html


def test_footer_gives_address_phone_and_email_of_the_lpse(client, settings):
    settings.LPSE_ADDRESS = "Jl. Contoh No. 9, Tigaraksa"
    settings.LPSE_PHONE = "(021) 1234567"
    settings.LPSE_EMAIL = "layanan@contoh.go.id"
    html = client.get(reverse("core:home")).content.decode()
    footer = html[html.index("<footer") :]
    assert "Jl. Contoh No. 9, Tigaraksa" in footer
    assert 'href="tel:0211234567"' in footer
    assert 'href="mailto:layanan@contoh.go.id"' in footer


def test_layout_has_skip_link_and_landmarks(client):
    html = client.get(reverse("core:home")).content.decode()
    assert re.search(r'<a class="[^"]*visually-hidden-focusable[^"]*" href="#konten">', html)
    assert '<main id="konten"' in html
    assert "<header" in html
    assert "<nav " in html
    assert "<footer" in html


def test_layout_loads_only_vendored_assets_that_exist(client):
    """No CDN: every stylesheet and script is served from our own static files."""
    html = client.get(reverse("core:home")).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        assert (STATIC / url.removeprefix(settings.STATIC_URL)).is_file(), url
    assert "bootstrap.min.css" in html
    assert "bootstrap.bundle.min.js" in html
    assert "htmx.min.js" in html


def test_vendored_packages_keep_their_licences():
    for folder in (STATIC / "vendor").iterdir():
        if folder.is_dir():
            assert (folder / "LICENSE").is_file(), folder


def test_templates_have_no_inline_script_or_style():
    """SEC-4: the CSP forbids inline code, so no template may contain any."""
    offenders = []
    templates = [
        path for path in Path(settings.BASE_DIR).rglob("*.html") if "templates" in path.parts
    ]
    assert TEMPLATES / "base.html" in templates
    for path in templates:
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\sstyle=", text) or "<style" in text:
            offenders.append(f"{path}: style")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: on* handler")
    assert offenders == []


def test_home_page_sends_strict_csp_and_permissions_policy(client):
    """SEC-4."""
    response = client.get(reverse("core:home"))
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


#: The facility app's items (MON-5, MNT-1, MNT-2, INF-1..3): its hub for every staff role,
#: procurement news for everyone.
FACILITY_PUBLIC = {"news"}
FACILITY_WORK = {"facility"}


def test_anonymous_visitor_sees_public_items_and_login_only(client):
    assert nav_keys(AnonymousUser()) - FACILITY_PUBLIC == {
        "home",
        "sop",
        "login",
        "vendor_register",
        "public_tenders",
        "desk_articles",
    }
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("accounts:login")}"' in html
    assert "Keluar" not in html


@pytest.mark.parametrize(
    ("role", "expected_work"),
    [
        (Role.VENDOR, set()),
        (Role.VERIFIER, {"service_levels", "vendor_desk", "email_changes"}),
        (
            Role.HELPDESK,
            {
                "service_levels",
                "upload_attempts",
                "desk_queue",
                "desk_report",
                "training",
                "training_calendar",
                "failed_openings",
            },
        ),
        (
            Role.SYSADMIN,
            {
                "service_levels",
                "audit",
                "email_changes",
                "desk_queue",
                "ops",
                "failed_openings",
                "backups",
            },
        ),
        (
            Role.APPADMIN,
            {
                "monthly_summary",
                "service_levels",
                "audit",
                "staff",
                "email_changes",
                "upload_attempts",
                "schedule_changes",
                "desk_queue",
                "training",
                "training_calendar",
                "training_resources",
                "ops",
                "failed_openings",
            },
        ),
        (
            Role.HEAD,
            {
                "monthly_summary",
                "service_levels",
                "closures",
                "audit",
                "staff",
                "vendor_desk",
                "vendor_checklist",
                "email_changes",
                "upload_attempts",
                "schedule_changes",
                "desk_queue",
                "desk_report",
                "training",
                "training_calendar",
                "training_exceptions",
                "training_resources",
                "ops",
                "failed_openings",
            },
        ),
        (
            Role.COMMITTEE,
            {"tender_manage", "tender_pacts", "failed_openings", "bids_committee"},
        ),
        (Role.TRAINER, {"training", "training_calendar", "training_feed"}),
        (Role.LKPP_MONITOR, {"ops", "monthly_summary"}),
    ],
)
def test_navigation_offers_each_role_only_its_work(role, expected_work):
    """SEC-1: the menu offers a role only the areas it may open."""
    user = make_user(f"user_{role}", role)
    if role != Role.VENDOR:
        expected_work = expected_work | FACILITY_WORK
    assert nav_keys(user, nav.Section.WORK) == expected_work
    keys = nav_keys(user)
    assert {"home", "dashboard", "sop", "password_change", "logout"} <= keys
    assert "login" not in keys


def test_superuser_is_offered_every_work_area():
    admin = make_user("admin", is_superuser=True)
    assert nav_keys(admin, nav.Section.WORK) - FACILITY_WORK == {
        "monthly_summary",
        "service_levels",
        "closures",
        "audit",
        "staff",
        "vendor_desk",
        "vendor_checklist",
        "email_changes",
        "upload_attempts",
        "tender_manage",
        "schedule_changes",
        "tender_pacts",
        "desk_queue",
        "desk_report",
        "training",
        "training_calendar",
        "training_feed",
        "training_exceptions",
        "training_resources",
        "ops",
        "failed_openings",
        "bids_committee",
        "backups",
    }


def test_an_item_whose_app_is_missing_is_left_out_not_fatal():
    items = (
        nav.NavItem("home", "Beranda", "core:home", nav.Section.MAIN),
        nav.NavItem("gone", "Tidak ada", "nowhere:list", nav.Section.MAIN),
    )
    links = nav.links_for(AnonymousUser(), "/", items)
    assert [(link.key, link.url, link.active) for link in links] == [("home", "/", True)]


def test_logout_is_a_post_form_in_the_header(client, vendor):
    login(client, vendor)
    html = client.get(reverse("core:home")).content.decode()
    assert re.search(
        rf'<form method="post" action="{re.escape(reverse("accounts:logout"))}">', html
    )


def test_active_menu_item_is_marked_for_screen_readers(client):
    html = client.get(reverse("core:home")).content.decode()
    assert re.search(r'class="nav-link active" href="/" aria-current="page"', html)


def test_language_switcher_posts_to_set_language(client):
    html = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    assert 'name="language" value="id"' in html


def test_messages_are_shown_as_bootstrap_alerts(client, settings):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.error(request, "Isian tidak sah.")
    messages.success(request, "Tersimpan.")
    html = render_to_string("core/home.html", request=request)
    assert re.search(r'class="alert alert-danger[^"]*"[^>]*>\s*Isian tidak sah\.', html)
    assert re.search(r'class="alert alert-success[^"]*"[^>]*>\s*Tersimpan\.', html)


def test_dashboard_requires_login(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_dashboard_greets_user_with_roles_and_links_for_them(client, head):
    head.first_name, head.last_name = "Siti", "Rahmawati"
    head.save(update_fields=["first_name", "last_name"])
    login(client, head)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Selamat datang, Siti Rahmawati" in html
    assert "Kepala LPSE" in html
    for key in ("service_levels", "closures", "audit", "staff"):
        item = next(item for item in nav.ITEMS if item.key == key)
        assert str(item.description) in html
    assert "DATA DEMO" not in html


def test_dashboard_of_a_vendor_offers_no_staff_work(client, vendor):
    login(client, vendor)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Penyedia Barang/Jasa" in html
    for key in ("service_levels", "closures", "audit", "staff"):
        item = next(item for item in nav.ITEMS if item.key == key)
        assert str(item.description) not in html
    assert "Ubah kata sandi" in html


def test_dashboard_marks_demo_accounts(client):
    user = make_user("demo_penyedia", Role.VENDOR, is_demo=True)
    login(client, user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "DATA DEMO" in html


def test_dashboard_tells_a_user_without_roles_whom_to_ask(client, outsider):
    login(client, outsider)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Akun Anda belum memiliki peran" in html


def test_home_page_query_count_is_small(client, head, django_assert_max_num_queries):
    login(client, head)
    # +2 for the facility app: the maintenance banner and the procurement news (MON-5, MNT-2).
    with django_assert_max_num_queries(10):
        client.get(reverse("core:home"))
