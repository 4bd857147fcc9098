"""BAK-3: restore rebuilds a working system from a backup, on the engine the suite runs
on (SQLite by default, PostgreSQL with DATABASE_URL=postgres://...): users log in,
documents download with the same fingerprints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from lpse.backups import restore, services
from lpse.backups.errors import BackupError
from lpse.backups.models import BackupRun
from lpse.conftest import PASSWORD, login
from lpse.vendors.company import CompanyDocument
from lpse.vendors.tests.company_helpers import PDF, make_vendor, upload

pytestmark = pytest.mark.django_db(transaction=True)


def empty_database() -> None:
    """What a fresh installation's database is before `migrate`: no tables at all."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys=OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute("PRAGMA foreign_keys=ON")


def fresh_roots(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "fresh" / "media"
    settings.LPSE_BIDS_DIR = tmp_path / "fresh" / "bids"
    settings.LPSE_CA_DIR = tmp_path / "fresh" / "ca"


def test_round_trip_users_log_in_and_documents_keep_their_fingerprints_BAK_3(
    roots, usb, vendor, client, tmp_path
):
    """BAK-3: back up, lose everything (empty database, empty file roots), restore:
    the vendor logs in with the old password and downloads the same bytes."""
    make_vendor(vendor)
    login(client, vendor)
    from lpse.vendors.company import Permit

    client.post(
        reverse("vendors:company_add", args=["permit"]),
        {"kind": "SIUP", "number": "510/123/2024", "issuer": "DPMPTSP Kab. Tangerang"},
    )
    permit = Permit.objects.get()
    client.post(
        reverse("vendors:company_upload", args=["permit", permit.pk]),
        {"document": upload("izin.pdf", PDF)},
    )
    document = CompanyDocument.objects.get()
    sealed = Path(roots.LPSE_BIDS_DIR) / "10000001" / ("ab" * 32)
    sealed.parent.mkdir(parents=True)
    sealed.write_bytes(b"0\x80" + bytes(range(256)) * 64)
    (Path(roots.LPSE_CA_DIR) / "ca.key").write_text("-----BEGIN PRIVATE KEY-----\n...\n")
    run, data = services.run_backup(usb, label="USB-1", include_secrets=True)
    assert run.status == "complete" and run.medium.label == "USB-1"
    client.logout()

    empty_database()
    fresh_roots(roots, tmp_path)
    report = restore.restore_backup(usb)
    assert report.backup_id == data["id"]

    response = client.post(
        reverse("accounts:login"), {"username": vendor.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    download = client.get(reverse("vendors:document_download", args=[document.pk]))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256 == hashlib.sha256(PDF).hexdigest()
    restored_bid = Path(roots.LPSE_BIDS_DIR) / "10000001" / ("ab" * 32)
    assert restored_bid.read_bytes() == b"0\x80" + bytes(range(256)) * 64
    assert (Path(roots.LPSE_CA_DIR) / "ca.key").exists()
    # The register came back too; the run, "running" in the snapshot, is finished from the
    # manifest.
    assert BackupRun.objects.get(backup_id=data["id"]).status == "complete"


def test_restore_refuses_a_database_that_is_not_empty_BAK_3(roots, usb, vendor):
    """BAK-3: restore goes into an empty installation; a used one needs --force."""
    services.run_backup(usb)
    with pytest.raises(BackupError, match="tidak kosong"):
        restore.restore_backup(usb)
