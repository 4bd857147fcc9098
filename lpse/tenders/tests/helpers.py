"""Fixtures of the tender tests: a committee, a PPK, vendors and a tender whose schedule starts
on a fixed Monday in WIB, so every test can travel to any stage with time-machine."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import make_user
from lpse.sop.services import load_procedures
from lpse.vendors.tests.company_helpers import PDF, make_vendor, upload

from .. import services
from ..choices import Category, DocumentKind, Method, StageKind
from ..schedule import Row

WIB = ZoneInfo("Asia/Jakarta")
#: Monday 7 September 2026, 08:00 WIB: no holiday in the three weeks that follow.
T0 = datetime(2026, 9, 7, 8, 0, tzinfo=WIB)

#: stage -> (start, end) as days after T0 (fractions for hours). Upload: Thu..Thu = 5 working days.
LAYOUT = {
    StageKind.ANNOUNCEMENT: (0, 1),
    StageKind.DOWNLOAD: (1, 2),
    StageKind.CLARIFICATION: (2, 3),
    StageKind.BID_UPLOAD: (3, 10),
    StageKind.BID_OPENING: (10, 10 + 4 / 24),
    StageKind.EVALUATION: (10 + 4 / 24, 13),
    StageKind.WINNER_ANNOUNCEMENT: (13, 14),
    StageKind.OBJECTION: (14, 17),
    StageKind.CONTRACT: (17, 21),
}


def rows_at(start: datetime = T0, layout=None) -> list[Row]:
    layout = layout or LAYOUT
    return [
        Row(kind.value, start + timedelta(days=a), start + timedelta(days=b))
        for kind, (a, b) in layout.items()
    ]


def during(kind: str, start: datetime = T0, offset_hours: float = 1) -> datetime:
    """A moment `offset_hours` into stage `kind` of the standard layout."""
    return start + timedelta(days=LAYOUT[StageKind(kind)][0], hours=offset_hours)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def tender_data(work_unit, ppk, **extra) -> dict:
    data = {
        "name": "Pembangunan Jalan Lingkar Desa Cikupa",
        "work_unit": work_unit,
        "budget_year": 2026,
        "ceiling": Decimal("1500000000.00"),
        "hps": Decimal("1250000000.00"),
        "method": Method.TENDER,
        "category": Category.CONSTRUCTION,
        "qualification": "post",
        "qualification_requirements": "SBU Jalan (BS001)\nPengalaman 4 tahun terakhir",
        "location": "Kecamatan Cikupa",
        "description": "Pekerjaan perkerasan jalan beton 2 km.",
        "ppk": ppk,
    }
    return data | extra


def make_tender(committee, ppk, work_unit, *, announce=True, start=T0, **extra):
    """A tender with the standard schedule starting at `start`, a tender document, announced
    at `start` (time travels there for the services that read the clock)."""
    with travel(start - timedelta(hours=1)):
        tender = services.create_tender(
            tender_data(work_unit, ppk, **extra), by=committee, accept_pact=True
        )
        if ppk is not None:
            services.accept_pact(tender, by=ppk)
        services.save_schedule(tender, rows_at(start), by=committee)
        services.upload_document(
            tender,
            upload("dokumen-pemilihan.pdf", PDF),
            title="Dokumen Pemilihan",
            kind=DocumentKind.TENDER_DOCUMENT,
            by=committee,
        )
    if announce:
        with travel(start):
            services.announce_tender(tender, by=committee)
    tender.refresh_from_db()
    return tender


def join(tender, vendor_company, at=None):
    from ..participation import join_tender

    with travel(at or during(StageKind.DOWNLOAD)):
        return join_tender(tender, vendor_company, accept_pact=True, by=vendor_company.user)


def activated_vendor(username: str, name: str, tax_id: str, email: str):
    user = make_user(username, Role.VENDOR, email=email)
    return make_vendor(user, name=name, tax_id=tax_id, activated_at=timezone.now())


@pytest.fixture
def registry(db):
    return load_procedures()


@pytest.fixture
def work_unit(db):
    return WorkUnit.objects.create(code="DBMSDA", name="Dinas Bina Marga dan Sumber Daya Air")


@pytest.fixture
def ppk(db):
    return make_user("ppk", Role.PPK)


@pytest.fixture
def pokja(committee):
    committee.first_name, committee.last_name = "Iwan", "Kurniawan"
    committee.save(update_fields=["first_name", "last_name"])
    return committee


@pytest.fixture
def tender(registry, pokja, ppk, work_unit, media):
    return make_tender(pokja, ppk, work_unit)


@pytest.fixture
def company(vendor, media):
    """PT Maju Jaya: verified and activated."""
    return make_vendor(vendor, activated_at=timezone.now())


@pytest.fixture
def second_company(db, media):
    return activated_vendor("cv_sinar", "CV Sinar Terang", "998877665544332", "info@sinar.co.id")


class as_user:
    """Travel to `moment` and log `user` in there (staff sessions expire when idle, so a
    session made at another time would not survive the jump)."""

    def __init__(self, client, user, moment: datetime):
        self.client, self.user, self.traveller = client, user, travel(moment)

    def __enter__(self):
        from lpse.conftest import login

        self.traveller.__enter__()
        login(self.client, self.user)
        return self.client

    def __exit__(self, *exc):
        return self.traveller.__exit__(*exc)
