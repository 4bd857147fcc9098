"""Actors and helpers of the training tests (TRN-1..TRN-4).

The clock is frozen on Monday 7 December 2026, 10:00 WIB: vendor training
days that week are Wednesday 9 and Thursday 10, agency days Friday 11,
Monday 14 and Tuesday 15; Friday 25 December is Christmas.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import make_user
from lpse.sop.services import load_procedures
from lpse.training import services
from lpse.training.choices import ResourceKind
from lpse.training.models import TrainingResource

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def letter_upload(name="surat-permohonan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def registry(db):
    return load_procedures()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unit(db):
    return WorkUnit.objects.create(code="DBM", name="Dinas Bina Marga dan SDA", short_name="DBMSDA")


@pytest.fixture
def other_unit(db):
    return WorkUnit.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def agency_admin(unit):
    return make_user(
        "admin_agency", Role.AGENCY_ADMIN, work_unit=unit, first_name="Bambang", last_name="Susilo"
    )


@pytest.fixture
def ppk(unit):
    return make_user("ppk_dbm", Role.PPK, work_unit=unit)


@pytest.fixture
def trainer(db):
    return make_user("pelatih", Role.TRAINER, first_name="Yudi", last_name="Hermawan")


@pytest.fixture
def trainer2(db):
    return make_user("pelatih2", Role.TRAINER, first_name="Sari", last_name="Lestari")


@pytest.fixture
def head_named(db):
    return make_user("kepala_lpse", Role.HEAD, first_name="Hendra", last_name="Gunawan")


@pytest.fixture
def room(db):
    # get_or_create: a transactional test elsewhere may have flushed the migration's rows.
    return TrainingResource.objects.get_or_create(
        kind=ResourceKind.ROOM, name="Ruang Pelatihan LPSE"
    )[0]


@pytest.fixture
def server(db):
    return TrainingResource.objects.get_or_create(
        kind=ResourceKind.SERVER, name="Server Latihan SPSE"
    )[0]


@pytest.fixture
def room2(db):
    return TrainingResource.objects.create(kind=ResourceKind.ROOM, name="Ruang Rapat Lt. 2")


@pytest.fixture
def server2(db):
    return TrainingResource.objects.create(kind=ResourceKind.SERVER, name="Server Latihan Cadangan")


def file(user, *, audience="vendor", wanted=date(2026, 12, 9), names=("Andi", "Budi"), **extra):
    values = {
        "work_unit": user.work_unit,
        "audience": audience,
        "letter_number": "027/123/DBM/2026",
        "letter_date": date(2026, 12, 1),
        "letter_text": "Mohon pelatihan SPSE untuk penyedia binaan kami.",
        "wanted_date": wanted,
        "participant_count": max(len(names), 1),
        "participant_names": list(names),
        "contact_name": "Bambang Susilo",
        "contact_phone": "0812-1111-2222",
        "contact_email": "bambang@dbm.tangerangkab.go.id",
    }
    values.update(extra)
    return services.file_request(**values, by=user)


def confirmed(training, helpdesk, day=None):
    return services.confirm_by_phone(
        training, by=helpdesk, call_minutes=3, agreed_date=day or training.wanted_date
    )


def scheduled(training, helpdesk, *, room, server, trainer, day=None, hours=None):
    day = day or training.agreed_date or training.wanted_date
    if hours is None:
        hours = (9, 13) if training.audience == "vendor" else (9, 15)
    return services.schedule_session(
        training,
        by=helpdesk,
        starts_at=at(day, hours[0]),
        ends_at=at(day, hours[1]),
        room=room,
        server=server,
        trainer=trainer,
    )
