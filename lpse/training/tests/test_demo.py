"""`lpse demo` adds demo training requests in every stage of SOP 2.3 (TRN-1..TRN-4)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lpse.accounts.models import WorkUnit
from lpse.training.choices import RequestStatus
from lpse.training.models import Letter, TrainingRequest

pytestmark = pytest.mark.usefixtures("registry", "media", "frozen")


def test_demo_creates_trainings_in_each_stage_once(db):
    WorkUnit.objects.bulk_create(
        [
            WorkUnit(code="1.03", name="Dinas Bina Marga dan Sumber Daya Air"),
            WorkUnit(code="2.16", name="Dinas Komunikasi dan Informatika"),
        ]
    )
    out = StringIO()
    call_command("demo", "--password", "kata-sandi-demo-bersama", stdout=out)
    assert "Permohonan pelatihan demo" in out.getvalue()
    statuses = sorted(TrainingRequest.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            RequestStatus.ASSIGNED,
            RequestStatus.REPLIED,
            RequestStatus.CONFIRMED,
            RequestStatus.SUBMITTED,
        ]
    )
    assert all(t.requested_by.is_demo for t in TrainingRequest.objects.all())
    assert all(
        t.contact_email.endswith("@demo.lpse.invalid") for t in TrainingRequest.objects.all()
    )
    assert Letter.objects.count() == 3
    call_command("demo", stdout=StringIO())
    assert TrainingRequest.objects.count() == 4
