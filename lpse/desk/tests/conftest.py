"""Fixtures of the helpdesk tests: the SOP registry, topics, files and e-mail in memory."""

from __future__ import annotations

from importlib import import_module

import pytest

from lpse.desk.models import Topic
from lpse.sop.services import load_procedures
from lpse.vendors.tests.company_helpers import (  # noqa: F401 - fixtures
    company,
    make_vendor,
    media,
    other_company,
    upload,
)

TOPICS = import_module("lpse.desk.migrations.0002_default_topics").TOPICS


@pytest.fixture(autouse=True)
def desk_setup(db, settings, tmp_path):
    load_procedures()
    # Transactional (browser) tests flush the tables, data migrations included.
    for order, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"order": order * 10})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LPSE_DESK_EMAIL = "helpdesk@lpse.contoh.go.id"


@pytest.fixture
def topic(db):
    return Topic.objects.get(name="Pendaftaran dan verifikasi penyedia")


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """`with sending(): ...` runs the after-commit e-mails of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
