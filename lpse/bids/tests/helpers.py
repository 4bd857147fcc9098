"""Fixtures of the sealed-bid tests: a tender of the standard layout (tenders/tests/helpers)
with a three-member Pokja, a 2-of-3 server key, and participants (BID-2, BID-4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lpse.accounts.choices import Role
from lpse.conftest import make_user
from lpse.tenders import services as tender_services
from lpse.tenders.choices import StageKind
from lpse.tenders.tests.helpers import LAYOUT, T0, during, join, travel

from .. import key_services

PASSPHRASES = {
    "pokja": "frasa sandi ketua pokja",
    "pokja2": "frasa sandi anggota dua",
    "pokja3": "frasa sandi anggota tiga",
}

UPLOAD_START = T0 + timedelta(days=LAYOUT[StageKind.BID_UPLOAD][0])
UPLOAD_END = T0 + timedelta(days=LAYOUT[StageKind.BID_UPLOAD][1])
OPENING_START = UPLOAD_END


def in_upload(hours: float = 1):
    return travel(during(StageKind.BID_UPLOAD, offset_hours=hours))


def at_opening(hours: float = 0.5):
    return travel(OPENING_START + timedelta(hours=hours))


@pytest.fixture
def bids_dir(settings, tmp_path, tmp_path_factory):
    settings.LPSE_BIDS_DIR = tmp_path / "bids"
    # One LPSE CA for the whole session: creating it costs an RSA key generation.
    settings.LPSE_CA_DIR = tmp_path_factory.getbasetemp() / "lpse-ca"
    return settings.LPSE_BIDS_DIR


@pytest.fixture
def members(pokja):
    return [pokja, make_user("pokja2", Role.COMMITTEE), make_user("pokja3", Role.COMMITTEE)]


def passphrases_of(users) -> dict[int, str]:
    return {user.pk: PASSPHRASES[user.username] for user in users}


@pytest.fixture
def keyed_tender(tender, members, bids_dir):
    """The standard tender with a 3-member Pokja and a 2-of-3 key made before upload."""
    with travel(T0 + timedelta(hours=2)):
        for user in members[1:]:
            tender_services.add_member(tender, user, by=members[0])
        key_services.create_server_key(
            tender, threshold=2, passphrases=passphrases_of(members), by=members[0]
        )
    tender.refresh_from_db()
    return tender


@pytest.fixture
def participant(keyed_tender, company):
    return join(keyed_tender, company)


@pytest.fixture
def second_participant(keyed_tender, second_company):
    return join(keyed_tender, second_company)


def files(*items: tuple[str, bytes]):
    return [SimpleUploadedFile(name, data) for name, data in items]
