"""Fixtures of the SOP app tests: the registry loaded from the real data files."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.core.services import add_closure
from lpse.sop.services import finish_step, load_procedures, open_case, start_step
from lpse.vendors.tests.company_helpers import make_vendor

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def registry(db):
    """The nine procedures of the appendix, loaded as `./run` loads them."""
    return load_procedures()


def ran(subject, number, start, end, *, by, title, finisher=None):
    """A case of SOP 1.1 titled `title` in which step `number` ran from `start` to `end`."""
    case = open_case("1.1", subject=subject, by=by, title=title)
    start_step(case, number, by=by, at=start)
    finish_step(case, number, by=finisher or by, at=end)
    return case


@pytest.fixture
def v2(db):
    return make_user("verifikator2", Role.VERIFIER, first_name="Budi", last_name="Santoso")


@pytest.fixture
def company(vendor):
    return make_vendor(vendor, verified=False)


@pytest.fixture
def runs(registry, company, verifier, v2, head):
    """SOP-3: the runs of the table in test_compliance_report's docstring."""
    add_closure(day=dt.date(2026, 4, 6), name="Pindah kantor LPSE", by=head)
    v1 = verifier
    ran(company, 9, wib(2026, 2, 11, 10, 0), wib(2026, 2, 11, 10, 5), by=v1, title="F5")
    ran(company, 1, wib(2026, 3, 10, 9, 0), wib(2026, 3, 10, 11, 0), by=v1, title="N1")
    ran(company, 7, wib(2026, 3, 2, 10, 0), wib(2026, 3, 16, 10, 0), by=v1, title="B")
    ran(company, 7, wib(2026, 3, 16, 10, 30), wib(2026, 3, 25, 10, 30), by=v1, title="A")
    ran(company, 8, wib(2026, 3, 25, 14, 30), wib(2026, 3, 26, 9, 30), by=v1, title="H1")
    for minutes, who in ((10, v1), (20, v1), (45, v2)):
        start = wib(2026, 3, 26, 10, 0)
        ran(company, 9, start, start + timedelta(minutes=minutes), by=who, title=f"S{minutes}")
    ran(company, 1, wib(2026, 3, 31, 23, 0), wib(2026, 4, 1, 0, 30), by=v2, title="N2")
    ran(company, 7, wib(2026, 4, 2, 14, 0), wib(2026, 4, 15, 15, 0), by=v2, title="C")
    ran(company, 8, wib(2026, 4, 2, 16, 0), wib(2026, 4, 7, 10, 0), by=v2, title="H2")
    ran(company, 7, wib(2026, 4, 8, 9, 0), wib(2026, 4, 20, 9, 0), by=v1, finisher=v2, title="D")
    ran(company, 9, wib(2026, 4, 9, 10, 0), wib(2026, 4, 9, 10, 25), by=v2, title="S25")
    ran(company, 9, wib(2026, 4, 9, 11, 0), wib(2026, 4, 9, 11, 35), by=v1, title="S35")
