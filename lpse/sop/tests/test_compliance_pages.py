"""SOP-3: the service-level page per period, its CSV downloads, its live list and links.

The numbers come from the runs of test_compliance_report (see its docstring).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from lpse.accounts.choices import Role
from lpse.conftest import login, make_user
from lpse.sop.links import SUBJECT_PAGES, case_links
from lpse.sop.selectors import HasSopCase
from lpse.sop.services import open_case, start_step
from lpse.vendors.tests.company_helpers import make_vendor

from .conftest import ran, wib

pytestmark = pytest.mark.django_db

PAGE = "sop:service_levels"
NOW = wib(2026, 4, 22, 10, 0)  # the reports are read later, in April


def get(client, name=PAGE, **params):
    """GET a named page at NOW (staff sessions are short: every request is made at NOW)."""
    return visit(client, reverse(name), params)


def visit(client, path, params=None):
    with time_machine.travel(NOW, tick=False):
        return client.get(path, params or {})


def test_sop3_quarter_page_shows_step_and_officer_numbers_and_missed_cases_with_links(
    client, runs, company, helpdesk
):
    login(client, helpdesk)
    response = get(client, jenis="triwulan", periode="2026-T1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kepatuhan terhadap standar waktu, Triwulan I 2026" in html
    assert "75% (3/4)" in html  # step 9: 5, 10, 20 of 5, 10, 20, 45 minutes
    assert "57% dalam standar" in html  # 4 of 7 runs with a target
    assert "Petugas: Budi Santoso" in html and "Petugas: verifikator" in html
    assert "48 jam" in html and "73 jam 36 menit" in html  # step 7 in working hours
    assert "tanpa target" in html  # step 1
    page = reverse("vendors:company_of", args=[company.pk])
    assert f'<a href="{page}">S45</a>' in html
    assert f'<a href="{page}">B</a>' in html
    assert ">S35<" not in html  # April: another quarter


def test_sop3_the_link_of_a_missed_case_opens_for_the_viewer(client, runs, company, helpdesk):
    login(client, helpdesk)
    response = get(client, jenis="tahun", periode="2026")
    page = reverse("vendors:company_of", args=[company.pk])
    assert f'href="{page}"' in response.content.decode()
    assert visit(client, page).status_code == 200


def test_sop3_no_link_to_a_page_the_viewer_may_not_open(client, runs, company, sysadmin):
    login(client, sysadmin)
    html = get(client, jenis="tahun", periode="2026").content.decode()
    assert "S45" in html
    assert reverse("vendors:company_of", args=[company.pk]) not in html
    assert visit(client, reverse("vendors:company_of", args=[company.pk])).status_code == 403


#: Session, user, TOTP device, roles; steps, finished runs (with cases, subjects' content
#: types and officers), the 2026 closures, running steps at risk; the maintenance banner.
PAGE_QUERIES = 9


def test_sop3_page_query_count_does_not_grow_with_runs_officers_and_subjects(
    client, runs, helpdesk, django_assert_num_queries
):
    login(client, helpdesk)
    get(client, jenis="tahun", periode="2026")  # warm the session
    with django_assert_num_queries(PAGE_QUERIES):
        get(client, jenis="tahun", periode="2026")
    for index in range(4):
        officer = make_user(f"petugas{index}", Role.VERIFIER)
        owner = make_user(f"penyedia{index}", Role.VENDOR)
        subject = make_vendor(owner, name=f"CV Tambahan {index}", tax_id=f"99999999999{index:04d}")
        start = wib(2026, 5, 5, 10, 0)
        ran(subject, 9, start, start + timedelta(hours=2), by=officer, title=f"Tambahan {index}")
        case = open_case("1.1", subject=subject, by=officer, title=f"Berjalan {index}")
        start_step(case, 9, by=officer, at=NOW - timedelta(hours=1))
    with django_assert_num_queries(PAGE_QUERIES):
        response = get(client, jenis="tahun", periode="2026")
    html = response.content.decode()
    assert html.count("Tambahan ") == 4 and html.count("Berjalan ") == 4
    assert "Petugas: petugas3" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jenis": "bulan", "periode": "2026-13"}, "Tulis bulan seperti 2026-03."),
        ({"jenis": "bulan", "periode": "Maret"}, "Tulis bulan seperti 2026-03."),
        (
            {"jenis": "triwulan", "periode": "2026-T5"},
            "Tulis triwulan seperti 2026-T1 (triwulan 1 sampai 4).",
        ),
        ({"jenis": "tahun", "periode": "26"}, "Tulis tahun seperti 2026."),
        ({"jenis": "tahun", "periode": "1999"}, "Tahun harus antara 2000 dan 2100."),
        (
            {"jenis": "minggu", "periode": "2026"},
            "Pilih jenis periode: bulan, triwulan atau tahun.",
        ),
    ],
)
def test_sop3_bad_period_input_gives_400_with_the_indonesian_message(
    client, registry, head, params, message
):
    login(client, head)
    response = get(client, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Langkah berjalan yang terlambat" in html  # the rest of the page still works
    assert visit(client, reverse("sop:service_levels_csv"), params).status_code == 400


@pytest.mark.parametrize(
    ("params", "title"),
    [
        ({}, "April 2026"),
        ({"jenis": "triwulan"}, "Triwulan II 2026"),
        ({"jenis": "tahun", "periode": ""}, "Tahun 2026"),
        ({"jenis": "bulan", "periode": "2026-3"}, "Maret 2026"),
        ({"jenis": "triwulan", "periode": "2026-q4"}, "Triwulan IV 2026"),
    ],
)
def test_sop3_period_defaults_to_the_current_one_and_reads_each_kind(
    client, registry, head, params, title
):
    login(client, head)
    response = get(client, **params)
    assert response.status_code == 200
    assert f"Kepatuhan terhadap standar waktu, {title}" in response.content.decode()


def test_sop3_page_offers_the_neighbouring_periods(client, registry, head):
    login(client, head)
    html = get(client, jenis="triwulan", periode="2026-T1").content.decode()
    assert "?jenis=triwulan&amp;periode=2025-T4" in html
    assert "?jenis=triwulan&amp;periode=2026-T2" in html


def rows_of(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())  # a BOM: Excel reads the Indonesian text right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


STEP9 = ["2026-03", "1.1", "9", "15 \N{EN DASH} 30 menit"]


def test_sop3_csv_has_a_row_per_step_and_per_officer(client, runs, helpdesk):
    login(client, helpdesk)
    response = get(client, "sop:service_levels_csv", jenis="bulan", periode="2026-03")
    assert response.status_code == 200
    assert 'filename="kepatuhan-sop-2026-03.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][:5] == ["Periode", "SOP", "Langkah", "Waktu (standar)", "Petugas"]
    step9 = [row for row in rows if row[1] == "1.1" and row[2] == "9"]
    assert step9 == [
        [*STEP9, "(semua petugas)", "3", "3", "2", "66.7", "20.0", "40.0"],
        [*STEP9, "Budi Santoso", "1", "1", "0", "0.0", "45.0", "45.0"],
        [*STEP9, "verifikator", "2", "2", "2", "100.0", "15.0", "19.0"],
    ]
    step1 = next(row for row in rows if row[1] == "1.1" and row[2] == "1")
    assert step1[5:] == ["1", "0", "0", "", "120.0", "120.0"]  # no target: no share


def test_sop3_missed_csv_lists_every_missed_case_with_its_link(client, runs, company, helpdesk):
    login(client, helpdesk)
    response = get(client, "sop:service_levels_missed_csv", jenis="tahun", periode="2026")
    rows = rows_of(response)
    assert [(row[2], row[4], row[5]) for row in rows[1:]] == [
        ("7", "B", "verifikator"),
        ("7", "D", "Budi Santoso"),
        ("8", "H1", "verifikator"),
        ("9", "S45", "Budi Santoso"),
        ("9", "S35", "verifikator"),
    ]
    b = rows[1]
    assert b[6:10] == ["2026-03-02 10:00", "2026-03-11 16:00", "2026-03-16 10:00", "4800.0"]
    assert b[10] == "http://testserver" + reverse("vendors:company_of", args=[company.pk])


def test_sop3_csv_defuses_spreadsheet_formulas_in_case_titles(client, registry, vendor, helpdesk):
    start = wib(2026, 4, 9, 10, 0)
    ran(vendor, 9, start, start + timedelta(hours=1), by=helpdesk, title="=HYPERLINK(1)")
    login(client, helpdesk)
    rows = rows_of(get(client, "sop:service_levels_missed_csv"))
    assert rows[1][4] == "'=HYPERLINK(1)"


@pytest.fixture
def at_risk(registry, company, verifier):
    """At 10:00 on Wed 22 April 2026: one step late, one due soon, one due later."""
    late = open_case("1.1", subject=company, by=verifier, title="Verifikasi terlambat")
    start_step(late, 9, by=verifier, at=wib(2026, 4, 22, 9, 0))  # due 09:30
    soon = open_case("1.1", subject=company, by=verifier, title="Verifikasi segera")
    start_step(soon, 8, by=verifier, at=wib(2026, 4, 22, 9, 5))  # due 15:00: not within 2 h
    start_step(soon, 9, by=verifier, at=wib(2026, 4, 22, 9, 45))  # due 10:15
    later = open_case("1.1", subject=company, by=verifier, title="Masih lama")
    start_step(later, 7, by=verifier, at=wib(2026, 4, 22, 9, 0))
    return late, soon


def test_sop3_live_list_shows_late_then_due_soon_with_officer_due_time_and_link(
    client, at_risk, company, head
):
    login(client, head)
    response = get(client, "sop:service_levels_running")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the fragment the page refreshes every minute
    page = reverse("vendors:company_of", args=[company.pk])
    late = html.index(f'<a href="{page}">Verifikasi terlambat</a>')
    soon = html.index(f'<a href="{page}">Verifikasi segera</a>')
    assert late < soon
    assert "22 Apr 2026 09:30" in html and "22 Apr 2026 10:15" in html  # due, WIB
    text = html.replace("\N{NO-BREAK SPACE}", " ")
    assert "lewat 30 menit" in text and "15 menit lagi" in text
    assert "verifikator" in html
    assert "Masih lama" not in html and html.count("Verifikasi segera") == 1


def test_sop3_the_page_refreshes_the_live_list_with_htmx(client, at_risk, head):
    login(client, head)
    html = get(client).content.decode()
    assert f'hx-get="{reverse("sop:service_levels_running")}"' in html
    assert 'hx-trigger="every 60s"' in html
    assert "Verifikasi terlambat" in html


@pytest.mark.parametrize(
    "name",
    ["sop:service_levels_running", "sop:service_levels_csv", "sop:service_levels_missed_csv"],
)
@pytest.mark.parametrize("actor", ["vendor", "committee", "outsider"])
def test_sec1_sop3_live_list_and_downloads_are_refused_to_others(
    client, registry, actor, name, request
):
    login(client, request.getfixturevalue(actor))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [PAGE, "sop:service_levels_running", "sop:service_levels_csv"])
def test_sec1_sop3_anonymous_visitors_are_sent_to_log_in(client, registry, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_sop3_every_subject_of_a_case_has_a_page_in_the_link_registry():
    subjects = {
        model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, HasSopCase) and ".tests." not in model.__module__
    }
    assert subjects == set(SUBJECT_PAGES)
    for page in SUBJECT_PAGES.values():
        assert page.url("7")  # reverses
        assert page.allowed_roles()


def test_sop3_case_links_send_every_vendor_case_to_its_company_page(runs, verifier, helpdesk):
    from lpse.sop.models import Case

    cases = list(Case.objects.select_related("content_type"))
    link = case_links(verifier)
    assert {link(case) for case in cases} == {
        reverse("vendors:company_of", args=[cases[0].object_id])
    }


def test_sop3_page_reads_in_english(client, runs, helpdesk, settings):
    login(client, helpdesk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the language of later tests stays
        html = get(client, jenis="triwulan", periode="2026-T1").content.decode()
        response = get(client, jenis="triwulan", periode="2026-T9")
    assert "Compliance with the time standards, Quarter I 2026" in html
    assert "Officer: Budi Santoso" in html
    assert "1 case missed the standard" in html  # step 7: B; step 8: H1; step 9: S45
    assert "Write the quarter like 2026-T1 (quarter 1 to 4)." in response.content.decode()
