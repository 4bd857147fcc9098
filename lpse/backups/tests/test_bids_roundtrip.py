# ruff: noqa: F811 - the shared fixtures are imported from the bids and tenders helpers
"""BAK-3 with sealed bids: seal a bid, back up (with the LPSE CA key), lose the database
and every file root, restore into the fresh installation: the bid still opens with the
restored key material and matches its receipt."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lpse.backups import restore, services
from lpse.bids import opening, storage
from lpse.bids.choices import OpeningOutcome
from lpse.bids.models import Bid
from lpse.bids.tests.helpers import (  # noqa: F401 - fixtures
    at_opening,
    bids_dir,
    keyed_tender,
    members,
    participant,
    passphrases_of,
)
from lpse.bids.tests.test_opening import submit_browser
from lpse.tenders.tests.helpers import (  # noqa: F401 - fixtures
    company,
    pokja,
    ppk,
    registry,
    tender,
    work_unit,
)
from lpse.vendors.tests.company_helpers import media  # noqa: F401 - fixture

from .test_roundtrip import empty_database

pytestmark = pytest.mark.django_db(transaction=True)


def test_sealed_bid_opens_after_restore_into_a_fresh_installation_BAK_3(
    client, participant, members, settings, tmp_path
):
    bid = submit_browser(client, participant, b"%PDF-1.4 harga penawaran rahasia")
    sealed = storage.path_of(bid.sealed_name).read_bytes()
    settings.DATA_DIR = tmp_path / "old"
    settings.DATA_DIR.mkdir()
    usb = str(tmp_path / "usb")
    run, _data = services.run_backup(usb, include_secrets=True)
    ca_files = sorted(p.name for p in Path(settings.LPSE_CA_DIR).iterdir())

    empty_database()
    fresh = tmp_path / "fresh"
    settings.DATA_DIR = fresh
    settings.MEDIA_ROOT = fresh / "media"
    settings.LPSE_BIDS_DIR = fresh / "bids"
    settings.LPSE_CA_DIR = fresh / "ca"
    fresh.mkdir()
    restore.restore_backup(usb, run.backup_id)

    assert storage.path_of(bid.sealed_name).read_bytes() == sealed
    assert sorted(p.name for p in Path(settings.LPSE_CA_DIR).iterdir()) == ca_files
    restored = Bid.objects.get(pk=bid.pk)
    with at_opening():
        result = opening.open_bids(
            restored.participant.tender, passphrases=passphrases_of(members[:2]), by=members[0]
        )
    row = result.results.get()
    assert row.outcome == OpeningOutcome.OPENED
    assert row.plain_sha256 == bid.plain_sha256
    with zipfile.ZipFile(storage.path_of(row.plain_name)) as bundle:
        contents = [bundle.read(name) for name in bundle.namelist()]
    assert b"%PDF-1.4 harga penawaran rahasia" in contents
