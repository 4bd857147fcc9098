"""BAK-1, BAK-2: the backup console at /cadangan/ is the sysadmin's only; it shows the
age of the last verified backup, verifies on request and records medium moves (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.audit.models import AuditEvent
from lpse.backups import services
from lpse.backups.choices import VerifyResult
from lpse.backups.models import BackupRun, Medium
from lpse.conftest import login

from .conftest import flip_member, some_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backed_up(roots, usb):
    some_files(roots, count=2)
    run, data = services.run_backup(usb, label="USB-KANTOR")
    services.verify(usb, run.backup_id)
    run.refresh_from_db()
    return run, data


def test_console_pages_are_for_the_sysadmin_only_BAK_2(
    backed_up, client, helpdesk, head, vendor, sysadmin
):
    """BAK-2: list, detail, medium and verify refuse everyone but the system administrator."""
    run, _data = backed_up
    urls = [
        reverse("backups:list"),
        reverse("backups:detail", args=[run.pk]),
        reverse("backups:medium", args=[run.medium.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    for user in (helpdesk, head, vendor):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(reverse("backups:verify", args=[run.pk])).status_code == 403
        client.logout()
    login(client, sysadmin)
    for url in urls:
        assert client.get(url).status_code == 200


def test_console_shows_the_age_of_the_last_verified_backup_BAK_1(backed_up, client, sysadmin):
    run, _data = backed_up
    assert run.verify_result == VerifyResult.OK
    login(client, sysadmin)
    page = client.get(reverse("backups:list")).content.decode()
    assert run.backup_id in page and "USB-KANTOR" in page
    assert "0 jam lalu" in page
    BackupRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=200))
    page = client.get(reverse("backups:list")).content.decode()
    assert "200 jam lalu" in page and "alert-danger" in page


def test_sysadmin_verifies_from_the_console_and_damage_is_stored_BAK_3(
    backed_up, client, sysadmin, usb
):
    """BAK-3: "Periksa ulang" re-reads the medium; a flipped byte is stored with the member."""
    run, data = backed_up
    victim = next(m for m in data["members"] if m["name"] == "files/media/dokumen/01.pdf")
    flip_member(usb, victim, ".zst")
    login(client, sysadmin)
    response = client.post(reverse("backups:verify", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.verify_result == VerifyResult.FAILED
    check = run.verifications.first()
    assert check.by == sysadmin
    assert [problem["member"] for problem in check.problems] == [victim["name"]]
    page = client.get(reverse("backups:detail", args=[run.pk])).content.decode()
    assert "files/media/dokumen/01.pdf" in page
    assert AuditEvent.objects.filter(action="backups.verified", actor=sysadmin).exists()


def test_sysadmin_records_a_medium_move_with_who_and_when_audited_BAK_2(
    backed_up, client, sysadmin
):
    """BAK-2 (Pasal 14): the medium's place, apart from the server room, and who moved it."""
    medium = Medium.objects.get(label="USB-KANTOR")
    login(client, sysadmin)
    url = reverse("backups:medium", args=[medium.pk])
    bad = client.post(url, {"to_location": " ", "moved_by_name": "Andi", "moved_at": ""})
    assert bad.status_code == 400 and "Isi lokasi baru media" in bad.content.decode()
    assert not medium.moves.exists()
    when = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        url,
        {
            "to_location": "Lemari besi, ruang arsip lantai 2 (gedung B)",
            "moved_by_name": "Andi Pratama",
            "moved_at": when.strftime("%Y-%m-%dT%H:%M"),
            "note": "Sesudah cadangan mingguan",
        },
    )
    assert response.status_code == 302
    medium.refresh_from_db()
    assert medium.location == "Lemari besi, ruang arsip lantai 2 (gedung B)"
    move = medium.moves.get()
    assert move.moved_by_name == "Andi Pratama" and move.recorded_by == sysadmin
    event = AuditEvent.objects.get(action="backups.medium_moved")
    assert event.actor == sysadmin
    page = client.get(reverse("backups:list")).content.decode()
    assert "Lemari besi" in page and "Andi Pratama" in page
