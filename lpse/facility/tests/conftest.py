"""Fixtures of the facility tests: the SOP registry, a tender with a bid upload stage."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lpse.accounts.models import WorkUnit
from lpse.sop.services import load_procedures

WIB = ZoneInfo("Asia/Jakarta")


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def sops(db):
    return load_procedures()


@pytest.fixture
def work_unit(db):
    return WorkUnit.objects.create(code="DPUPR", name="Dinas Pekerjaan Umum")


def make_tender(work_unit, created_by, *, code: str, upload: tuple[datetime, datetime]):
    """An announced tender whose bid upload stage runs from upload[0] to upload[1]."""
    from lpse.tenders.choices import Category, Method, StageKind, TenderStatus
    from lpse.tenders.models import Stage, Tender

    tender = Tender.objects.create(
        code=code,
        name=f"Pembangunan Jalan Desa {code}",
        work_unit=work_unit,
        budget_year=2026,
        hps=Decimal("150000000"),
        method=Method.values[0],
        category=Category.values[0],
        status=TenderStatus.ANNOUNCED,
        created_by=created_by,
    )
    Stage.objects.create(
        tender=tender, kind=StageKind.BID_UPLOAD, starts_at=upload[0], ends_at=upload[1]
    )
    return tender
