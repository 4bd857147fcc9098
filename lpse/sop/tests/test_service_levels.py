"""SOP-3: time standards as service levels: live at-risk steps and compliance per period."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from lpse.conftest import login
from lpse.sop.models import Procedure
from lpse.sop.selectors import (
    compliance_by_procedure,
    percentile,
    running_steps_at_risk,
    step_compliance,
)
from lpse.sop.services import close_case, finish_step, open_case, start_step

from .conftest import wib

pytestmark = pytest.mark.django_db

MARCH = (wib(2026, 3, 1), wib(2026, 4, 1))


def timed_run(subject, by, number, start, end):
    """One case of SOP 1.1 in which step `number` ran from `start` to `end`."""
    case = open_case("1.1", subject=subject, by=by)
    start_step(case, number, by=by, at=start)
    finish_step(case, number, by=by, at=end)
    return case


@pytest.fixture
def march_runs(registry, vendor, verifier):
    # Step 9 (15 - 30 menit, elapsed time): 10, 20, 25, 35 and 45 minutes.
    for minutes in (10, 20, 25, 35, 45):
        start = wib(2026, 3, 26, 10, 0)
        timed_run(vendor, verifier, 9, start, start + timedelta(minutes=minutes))
    # Finished outside March: not counted.
    timed_run(vendor, verifier, 9, wib(2026, 2, 27, 10, 0), wib(2026, 2, 27, 11, 0))
    timed_run(vendor, verifier, 9, wib(2026, 4, 1, 10, 0), wib(2026, 4, 1, 11, 0))
    # Step 7 (7 hari kerja, working time 08:00-16:00):
    # - Mon 16 Mar 10:30 -> Wed 25 Mar 10:30: 5.5 h + 8 h (17th) + 2.5 h = 16 working hours
    #   (18-24 March are Nyepi, Idul Fitri and cuti bersama); due 1 April: within.
    timed_run(vendor, vendor, 7, wib(2026, 3, 16, 10, 30), wib(2026, 3, 25, 10, 30))
    # - Mon 2 Mar 10:00 -> Mon 16 Mar 10:00: 6 h + 9 days x 8 h + 2 h = 80 working hours;
    #   due Wed 11 March 16:00: missed.
    timed_run(vendor, vendor, 7, wib(2026, 3, 2, 10, 0), wib(2026, 3, 16, 10, 0))
    # Step 8 (Setiap hari kerja pukul 09.00-15.00): 14:30 -> 09:30 next day is one hour
    # of desk time (30 + 30 minutes), due 15:00 the same day: missed.
    timed_run(vendor, verifier, 8, wib(2026, 3, 25, 14, 30), wib(2026, 3, 26, 9, 30))


def test_sop3_percentile_interpolates_between_closest_ranks():
    values = [timedelta(minutes=m) for m in (10, 20, 25, 35, 45)]
    assert percentile(values, 0.5) == timedelta(minutes=25)
    assert percentile(values, 0.9) == timedelta(minutes=41)  # 35 + 0.6 x 10
    assert percentile(values[:1], 0.9) == timedelta(minutes=10)


def test_sop3_step_compliance_matches_hand_computed_share_median_and_p90(
    march_runs, django_assert_max_num_queries
):
    procedure = Procedure.objects.get(code="1.1")
    # Steps and runs, plus the calendar's closures of 2026 read once for all the runs.
    with django_assert_max_num_queries(2 + 1):
        rows = {row.step.number: row for row in step_compliance(procedure, *MARCH)}
    assert list(rows) == list(range(1, 10))

    step9 = rows[9]
    assert (step9.count, step9.within, step9.with_target) == (5, 3, 5)
    assert step9.share == pytest.approx(0.6)
    assert step9.median == timedelta(minutes=25)
    assert step9.p90 == timedelta(minutes=41)

    step7 = rows[7]
    assert (step7.count, step7.within) == (2, 1)
    assert step7.share == pytest.approx(0.5)
    assert step7.median == timedelta(hours=48)  # (16 + 80) / 2 working hours
    assert step7.p90 == timedelta(hours=73.6)  # 16 + 0.9 x (80 - 16)

    step8 = rows[8]
    assert (step8.count, step8.within, step8.share) == (1, 0, 0.0)
    assert step8.median == timedelta(hours=1)  # desk hours only, not the 19 h elapsed

    assert rows[1].count == 0 and rows[1].share is None and rows[1].median is None


def test_sop3_compliance_by_procedure_lists_only_procedures_and_steps_that_ran(
    march_runs, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1 + 1):
        report = compliance_by_procedure(*MARCH)
    assert [item.procedure.code for item in report] == ["1.1"]
    item = report[0]
    assert [row.step.number for row in item.steps] == [7, 8, 9]
    assert item.count == 8
    assert item.share == pytest.approx(4 / 8)


@pytest.fixture
def running(registry, vendor, verifier):
    """At 13:30 on Wed 25 March 2026, a mix of running and finished steps."""
    late = open_case("1.1", subject=vendor, by=verifier, title="Verifikasi CV Terlambat")
    start_step(late, 9, by=verifier, at=wib(2026, 3, 25, 12, 50))  # due 13:20: missed
    soon = open_case("1.1", subject=vendor, by=verifier, title="Verifikasi PT Segera")
    start_step(soon, 8, by=verifier, at=wib(2026, 3, 25, 9, 10))  # due 15:00: within 2 h
    waiting = open_case("1.1", subject=vendor, by=vendor, title="Menunggu dokumen")
    start_step(waiting, 7, by=vendor, at=wib(2026, 3, 25, 9, 0))  # due 3 April
    start_step(waiting, 1, by=vendor, at=wib(2026, 3, 25, 9, 0))  # no target
    done = open_case("1.1", subject=vendor, by=verifier, title="Sudah selesai")
    start_step(done, 9, by=verifier, at=wib(2026, 3, 25, 8, 0))
    finish_step(done, 9, by=verifier, at=wib(2026, 3, 25, 9, 0))
    closed = open_case("1.1", subject=vendor, by=verifier, title="Ditutup")
    start_step(closed, 9, by=verifier, at=wib(2026, 3, 25, 12, 0))
    close_case(closed, by=verifier, outcome="Dibatalkan", at=wib(2026, 3, 25, 12, 5))
    return late, soon


def test_sop3_at_risk_lists_missed_then_due_soon_running_steps_in_one_query(
    running, django_assert_num_queries
):
    late, _soon = running
    now = wib(2026, 3, 25, 13, 30)
    with django_assert_num_queries(1):
        rows = [
            (run.case.title, run.case.procedure.code, run.step.number, run.started_by.username)
            for run in running_steps_at_risk(now, within=timedelta(hours=2))
        ]
    assert rows == [
        ("Verifikasi CV Terlambat", "1.1", 9, "verifikator"),
        ("Verifikasi PT Segera", "1.1", 8, "verifikator"),
    ]
    assert [run.case for run in running_steps_at_risk(now, within=timedelta(0))] == [late]


def test_sop3_service_level_page_shows_the_late_step_and_the_months_compliance(
    client, running, march_runs, helpdesk, django_assert_max_num_queries
):
    login(client, helpdesk)
    with (
        time_machine.travel(wib(2026, 3, 25, 13, 30), tick=False),
        django_assert_max_num_queries(12),
    ):
        response = client.get(reverse("sop:service_levels"), {"bulan": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terlambat" in html and "Verifikasi CV Terlambat" in html
    assert "Segera jatuh tempo" in html and "Verifikasi PT Segera" in html
    assert "Menunggu dokumen" not in html
    late_row = html.index("Verifikasi CV Terlambat")
    assert html.index("Verifikasi PT Segera") > late_row  # the late one first
    assert "Maret 2026" in html
    # Step 9 also ran in `running`: 60 minutes (late) and 5 minutes (ended by closing):
    # 5, 10, 20, 25, 35, 45, 60 -> 4 of 7 within 30 minutes, median 25, p90 45 + 0.4 x 15.
    assert "57% (4/7)" in html
    assert "25 menit" in html and "51 menit" in html
    assert "48 jam" in html  # median of step 7 in working hours


def test_sop3_service_level_page_query_count_does_not_grow_with_rows(
    client, running, helpdesk, vendor, verifier, django_assert_max_num_queries
):
    login(client, helpdesk)
    url = reverse("sop:service_levels")
    with time_machine.travel(wib(2026, 3, 25, 13, 30), tick=False):
        client.get(url)  # warm the session and calendar caches
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        for index in range(5):
            case = open_case("1.1", subject=vendor, by=verifier, title=f"Tambahan {index}")
            start_step(case, 9, by=verifier, at=wib(2026, 3, 25, 12, 0))
            timed_run(vendor, verifier, 9, wib(2026, 3, 24, 9, 0), wib(2026, 3, 24, 9, 20))
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
    assert response.content.decode().count("Tambahan") == 5


@pytest.mark.parametrize("actor", ["head", "appadmin", "sysadmin", "helpdesk", "verifier"])
def test_sec1_service_level_page_is_open_to_the_service_roles(client, registry, actor, request):
    login(client, request.getfixturevalue(actor))
    assert client.get(reverse("sop:service_levels")).status_code == 200


@pytest.mark.parametrize("actor", ["vendor", "committee", "outsider"])
def test_sec1_service_level_page_is_refused_to_others(client, registry, actor, request):
    login(client, request.getfixturevalue(actor))
    assert client.get(reverse("sop:service_levels")).status_code == 403


def test_sop3_a_malformed_month_shows_the_indonesian_error(client, registry, head):
    """The old `bulan` parameter is still read as a month."""
    login(client, head)
    response = client.get(reverse("sop:service_levels"), {"bulan": "2026-13"})
    assert response.status_code == 400
    assert response.context["form"].errors["periode"] == ["Tulis bulan seperti 2026-03."]
