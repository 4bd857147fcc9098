"""SOP-3: the compliance report per period (month, quarter, year), step and officer,
checked against hand-computed numbers over weekends, Idul Fitri, Easter and a local closure.

The calendar of 2026 (holidays package, ID, public + government): 18-24 March are
Nyepi, Idul Fitri and cuti bersama; Friday 3 April is Wafat Yesus Kristus. The test
adds a local closure on Monday 6 April. Office hours are 08:00-16:00, the
verification desk's 09:00-15:00 (SOP 1.1 step 8).

SOP 1.1, the steps used:
- step 1 "Tidak ditentukan": no target, elapsed time;
- step 7 "7 (tujuh) hari kerja": due 16:00 on the 7th working day, working time 08-16;
- step 8 "Setiap hari kerja pukul 09.00-15.00 WIB": due at 15:00 of the working day
  (the next one when started after 15:00), working time 09-15;
- step 9 "15 - 30 menit": due 30 minutes after the start, elapsed time.

Officers: V1 "verifikator" (no full name) and V2 "Budi Santoso". The officer of a
run is the one who finished it.

| run | step | officer | start (WIB)      | end (WIB)        | due              | duration | met |
|-----|------|---------|------------------|------------------|------------------|----------|-----|
| F5  | 9    | V1      | Wed 11 Feb 10:00 | 10:05            | 10:30            | 5 min    | yes |
| N1  | 1    | V1      | Tue 10 Mar 09:00 | 11:00            | -                | 2 h      | -   |
| B   | 7    | V1      | Mon 2 Mar 10:00  | Mon 16 Mar 10:00 | Wed 11 Mar 16:00 | 80 wh    | no  |
| A   | 7    | V1      | Mon 16 Mar 10:30 | Wed 25 Mar 10:30 | Wed 1 Apr 16:00  | 16 wh    | yes |
| H1  | 8    | V1      | Wed 25 Mar 14:30 | Thu 26 Mar 09:30 | Wed 25 Mar 15:00 | 1 wh     | no  |
| S10 | 9    | V1      | Thu 26 Mar 10:00 | 10:10            | 10:30            | 10 min   | yes |
| S20 | 9    | V1      | Thu 26 Mar 10:00 | 10:20            | 10:30            | 20 min   | yes |
| S45 | 9    | V2      | Thu 26 Mar 10:00 | 10:45            | 10:30            | 45 min   | no  |
| N2  | 1    | V2      | Tue 31 Mar 23:00 | Wed 1 Apr 00:30  | -                | 90 min   | -   |
| C   | 7    | V2      | Thu 2 Apr 14:00  | Wed 15 Apr 15:00 | Wed 15 Apr 16:00 | 57 wh    | yes |
| H2  | 8    | V2      | Thu 2 Apr 16:00  | Tue 7 Apr 10:00  | Tue 7 Apr 15:00  | 1 wh     | yes |
| D   | 7    | V1 > V2 | Wed 8 Apr 09:00  | Mon 20 Apr 09:00 | Fri 17 Apr 16:00 | 64 wh    | no  |
| S25 | 9    | V2      | Thu 9 Apr 10:00  | 10:25            | 10:30            | 25 min   | yes |
| S35 | 9    | V1      | Thu 9 Apr 11:00  | 11:35            | 11:30            | 35 min   | no  |

B: 6 h (2 Mar) + 9 days x 8 h (3-6, 9-13 Mar) + 2 h = 80 working hours.
A: 5.5 h (16 Mar) + 8 h (17 Mar) + 2.5 h (25 Mar) = 16; its 7 working days skip 18-24 Mar.
H1: 30 min (25 Mar, 14:30-15:00) + 30 min (26 Mar, 09:00-09:30) of desk time.
N2 ends after midnight WIB (17:30 UTC on 31 March): it counts in April.
C: 2 h (2 Apr) + 6 days x 8 h (7-10, 13-14 Apr) + 7 h (15 Apr) = 57; without the closure
   it would have been due on 14 April and missed.
H2: started after the desk closed; 3 April (Good Friday) and 6 April (closure) are off, so
   it is due Tuesday 7 April at 15:00; 1 h of desk time (09:00-10:00 on 7 April).
D: 7 h (8 Apr) + 7 days x 8 h (9-10, 13-17 Apr) + 1 h (20 Apr) = 64; started by V1 and
   finished by V2, so it is V2's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from lpse.sop.compliance import compliance_by_procedure, compliance_report
from lpse.sop.links import case_links
from lpse.sop.periods import Period

from .conftest import ran, wib

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    """Names and labels in the language of the page, whatever an earlier test left active."""
    with translation.override("id"):
        yield


H = timedelta(hours=1)
M = timedelta(minutes=1)


def numbers(row):
    return (row.count, row.within, row.with_target, row.median, row.p90)


def report_of(period: Period, **kwargs):
    report = compliance_report(*period.bounds(), **kwargs)
    assert [item.procedure.code for item in report.procedures] == ["1.1"]
    return report.procedures[0], {row.step.number: row for row in report.procedures[0].steps}


def officers(row):
    return {officer.name: numbers(officer) for officer in row.officers}


# Expected (count, within, with_target, median, p90) per period and step.
EXPECTED = {
    "2026-03": {
        1: (1, 0, 0, 2 * H, 2 * H),
        7: (2, 1, 2, 48 * H, 73.6 * H),  # 16 and 80 wh: p90 = 16 + 0.9 x 64
        8: (1, 0, 1, H, H),
        9: (3, 2, 3, 20 * M, 40 * M),  # 10, 20, 45: p90 = 20 + 0.8 x 25
    },
    "2026-04": {
        1: (1, 0, 0, 90 * M, 90 * M),
        7: (2, 1, 2, 60.5 * H, 63.3 * H),  # 57 and 64 wh: p90 = 57 + 0.9 x 7
        8: (1, 1, 1, H, H),
        9: (2, 1, 2, 30 * M, 34 * M),  # 25, 35
    },
    "2026-T1": {
        1: (1, 0, 0, 2 * H, 2 * H),
        7: (2, 1, 2, 48 * H, 73.6 * H),
        8: (1, 0, 1, H, H),
        9: (4, 3, 4, 15 * M, 37.5 * M),  # 5, 10, 20, 45: p90 = 20 + 0.7 x 25
    },
    "2026-T2": {
        1: (1, 0, 0, 90 * M, 90 * M),
        7: (2, 1, 2, 60.5 * H, 63.3 * H),
        8: (1, 1, 1, H, H),
        9: (2, 1, 2, 30 * M, 34 * M),
    },
    "2026": {
        1: (2, 0, 0, 105 * M, 117 * M),  # 90, 120: p90 = 90 + 0.9 x 30
        7: (4, 2, 4, 60.5 * H, 75.2 * H),  # 16, 57, 64, 80: p90 = 64 + 0.7 x 16
        8: (2, 1, 2, H, H),
        9: (6, 4, 6, 22.5 * M, 40 * M),  # 5, 10, 20, 25, 35, 45: p90 = 35 + 0.5 x 10
    },
}
#: Share of the SOP's finished runs with a target that met it.
EXPECTED_SHARE = {
    "2026-03": 3 / 6,
    "2026-04": 3 / 5,
    "2026-T1": 4 / 7,
    "2026-T2": 3 / 5,
    "2026": 7 / 12,
}
PERIODS = {
    "2026-03": Period.month(2026, 3),
    "2026-04": Period.month(2026, 4),
    "2026-T1": Period.quarter(2026, 1),
    "2026-T2": Period.quarter(2026, 2),
    "2026": Period.year(2026),
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_sop3_report_matches_hand_computed_numbers_for_each_period_kind(runs, code):
    item, rows = report_of(PERIODS[code])
    assert PERIODS[code].code == code
    for number, expected in EXPECTED[code].items():
        assert numbers(rows[number]) == expected, f"step {number} in {code}"
    assert item.within_share == pytest.approx(EXPECTED_SHARE[code])
    # Steps that did not run in the period are listed with no numbers.
    assert numbers(rows[2]) == (0, 0, 0, None, None)
    assert len(rows) == 9


def test_sop3_a_step_without_target_has_no_share_not_zero_percent(runs):
    _, rows = report_of(PERIODS["2026"])
    assert rows[1].has_target is False
    assert rows[1].share is None and rows[1].percent is None
    assert rows[8].has_target is True and rows[8].share == 0.5


def test_sop3_the_local_closure_moves_the_deadline_and_is_not_working_time(runs):
    _, rows = report_of(PERIODS["2026-04"])
    missed = [item.case.title for item in rows[7].missed]
    assert missed == ["D"]  # C met its deadline only because 6 April was closed
    assert [(row.name, row.count) for row in rows[7].officers] == [("Budi Santoso", 2)]
    assert rows[8].missed == ()  # H2 due on 7 April, after Good Friday and the closure


def test_sop3_per_officer_rows_credit_the_officer_who_finished_the_step(runs):
    _, rows = report_of(PERIODS["2026"])
    assert [officer.name for officer in rows[7].officers] == ["Budi Santoso", "verifikator"]
    assert officers(rows[7]) == {
        "verifikator": (2, 1, 2, 48 * H, 73.6 * H),  # A, B
        "Budi Santoso": (2, 1, 2, 60.5 * H, 63.3 * H),  # C, D
    }
    assert officers(rows[9]) == {
        "verifikator": (4, 3, 4, 15 * M, 30.5 * M),  # 5, 10, 20, 35: p90 = 20 + 0.7 x 15
        "Budi Santoso": (2, 1, 2, 35 * M, 43 * M),  # 25, 45: p90 = 25 + 0.9 x 20
    }
    assert officers(rows[8]) == {"verifikator": (1, 0, 1, H, H), "Budi Santoso": (1, 1, 1, H, H)}
    assert officers(rows[1])["Budi Santoso"][2] == 0  # no target: nothing to be within


def test_sop3_month_officer_rows(runs):
    _, rows = report_of(PERIODS["2026-03"])
    assert officers(rows[9]) == {
        "verifikator": (2, 2, 2, 15 * M, 19 * M),  # 10, 20: p90 = 10 + 0.9 x 10
        "Budi Santoso": (1, 0, 1, 45 * M, 45 * M),
    }


def test_sop3_missed_runs_are_listed_with_a_link_to_the_subject_page(runs, company, verifier):
    _, rows = report_of(PERIODS["2026"], link=case_links(verifier))
    page = reverse("vendors:company_of", args=[company.pk])
    assert [(item.case.title, item.url) for item in rows[7].missed] == [("B", page), ("D", page)]
    assert [item.case.title for item in rows[9].missed] == ["S45", "S35"]
    assert [item.case.title for item in rows[8].missed] == ["H1"]
    assert rows[7].missed[1].officer_name == "Budi Santoso"
    assert rows[7].missed[0].overrun == wib(2026, 3, 16, 10, 0) - wib(2026, 3, 11, 16, 0)


def test_sop3_no_link_to_a_subject_page_the_viewer_may_not_open(runs, sysadmin):
    # The vendor's company page is for DOCUMENT_STAFF (verifier, helpdesk, appadmin, head).
    _, rows = report_of(PERIODS["2026"], link=case_links(sysadmin))
    assert [item.url for item in rows[7].missed] == [None, None]


def test_sop3_report_reads_steps_and_runs_in_two_queries_plus_the_closures(
    runs, verifier, django_assert_num_queries
):
    link = case_links(verifier)
    verifier.role_set  # noqa: B018 - the viewer's roles are read with the login
    with django_assert_num_queries(3):  # steps, runs with cases and officers, 2026 closures
        report = compliance_report(*PERIODS["2026"].bounds(), link=link)
        urls = [item.url for row in report.procedures[0].steps for item in row.missed]
    assert len(urls) == 5 and all(urls)  # B, D, H1, S45, S35


def test_sop3_compliance_by_procedure_keeps_the_monthly_summary_interface(runs):
    """The head's monthly summary reads `procedure`, `steps` and `within_share`."""
    (item,) = compliance_by_procedure(*PERIODS["2026-03"].bounds())
    assert item.procedure.code == "1.1"
    assert [row.step.number for row in item.steps] == [1, 7, 8, 9]
    assert item.within_share == pytest.approx(0.5)
    assert compliance_by_procedure(*Period.month(2026, 5).bounds()) == []


def test_sop3_idle_procedures_are_listed_apart(runs):
    report = compliance_report(*PERIODS["2026-03"].bounds())
    assert "1.1" not in {procedure.code for procedure in report.idle}
    assert {"2.1", "5.1"} <= {procedure.code for procedure in report.idle}


def test_sop3_runs_nobody_started_or_finished_by_name_have_their_own_officer_row(
    registry, vendor, verifier
):
    start = wib(2026, 5, 5, 10, 0)
    ran(vendor, 9, start, start + 10 * M, by=None, title="Otomatis")
    ran(vendor, 9, start, start + 40 * M, by=verifier, title="Manual")
    _, rows = report_of(Period.month(2026, 5))
    assert rows[9].officers[-1].name == "(tanpa petugas)"  # listed last
    assert officers(rows[9]) == {
        "verifikator": (1, 0, 1, 40 * M, 40 * M),
        "(tanpa petugas)": (1, 1, 1, 10 * M, 10 * M),
    }
