"""Maintenance announcements: banner, read-only mode, bid upload deadlines (MON-5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import PASSWORD, login
from lpse.core.models import Closure

from .. import window_services
from ..choices import WindowStatus
from ..models import MaintenanceWindow
from .conftest import WIB, make_tender, travel

#: Saturday 12 September 2026, 20:00 WIB to 23:00 WIB.
START = datetime(2026, 9, 12, 20, 0, tzinfo=WIB)
END = START + timedelta(hours=3)


def schedule(by, *, read_only=True, confirm=False, start=START, end=END, hours=48):
    with travel(start - timedelta(days=5)):
        return window_services.schedule_window(
            starts_at=start,
            ends_at=end,
            services="Seluruh aplikasi SPSE",
            message="Pembaruan sistem operasi server.",
            read_only=read_only,
            banner_hours=hours,
            confirm_overlap=confirm,
            by=by,
        )


@pytest.mark.django_db
def test_banner_shows_from_lead_time_and_not_before(client, sysadmin):
    """MON-5: the banner is on every page from `banner_hours` before the start to the end,
    with the times in WIB, and gone before and after."""
    window = schedule(sysadmin, hours=48)
    home = reverse("core:home")
    with travel(START - timedelta(hours=48, minutes=1)):
        assert "data-maintenance" not in client.get(home).content.decode()
    with travel(START - timedelta(hours=47, minutes=59)):
        page = client.get(home).content.decode()
        assert f'data-maintenance="{window.pk}"' in page
        assert "Pemeliharaan terjadwal:" in page
        assert "12 September 2026 20.00" in page and "23.00 WIB" in page
    with travel(START + timedelta(hours=1)):
        page = client.get(reverse("sop:list")).content.decode()
        assert "Pemeliharaan sedang berlangsung:" in page
        assert "hanya dapat dibaca" in page
    with travel(END + timedelta(minutes=1)):
        assert "data-maintenance" not in client.get(home).content.decode()


@pytest.mark.django_db
def test_read_only_refuses_a_post_with_503_and_changes_nothing(client, head, sysadmin):
    """MON-5: during a read-only window a write is answered 503 in Indonesian; no change."""
    schedule(sysadmin)
    with travel(START + timedelta(minutes=30)):
        login(client, head)
        response = client.post(
            reverse("core:closures"), {"action": "add", "date": "2026-10-01", "name": "Uji"}
        )
        assert response.status_code == 503
        assert "mode baca-saja" in response.content.decode()
        assert int(response["Retry-After"]) == 150 * 60
        assert not Closure.objects.exists()
        # Reading still works.
        assert client.get(reverse("core:closures")).status_code == 200
    with travel(END + timedelta(minutes=1)):
        client.logout()
        login(client, head)
        response = client.post(
            reverse("core:closures"), {"action": "add", "date": "2026-10-01", "name": "Uji"}
        )
        assert response.status_code == 302
        assert Closure.objects.count() == 1


@pytest.mark.django_db
def test_window_without_read_only_lets_writes_through(client, head, sysadmin):
    """MON-5: read-only is optional; a window without it only announces."""
    schedule(sysadmin, read_only=False)
    login(client, head)
    with travel(START + timedelta(minutes=30)):
        response = client.post(
            reverse("core:closures"), {"action": "add", "date": "2026-10-01", "name": "Uji"}
        )
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_and_the_sysadmins_console_work_during_read_only(client, sysadmin):
    """MON-5: login is let through, and the sysadmin can end the window early."""
    window = schedule(sysadmin)
    with travel(START + timedelta(minutes=30)):
        response = client.post(
            reverse("accounts:login"), {"username": sysadmin.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        login(client, sysadmin)
        response = client.post(
            reverse("facility:window_close", args=[window.pk]), {"reason": "Selesai lebih cepat"}
        )
        assert response.status_code == 302
    window.refresh_from_db()
    assert window.status == WindowStatus.ENDED
    assert AuditEvent.objects.filter(action="facility.window_ended").exists()


@pytest.mark.django_db
def test_others_cannot_use_the_console_during_read_only(client, head, sysadmin):
    """MON-5: the console exemption is only for the sysadmin."""
    window = schedule(sysadmin)
    login(client, head)
    with travel(START + timedelta(minutes=30)):
        response = client.post(reverse("facility:window_close", args=[window.pk]), {"reason": "x"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_cancel_before_start_removes_the_banner(client, sysadmin):
    """MON-5: a cancelled window is audited and announces nothing."""
    window = schedule(sysadmin)
    with travel(START - timedelta(hours=1)):
        window_services.close_window(window, reason="Ditunda", by=sysadmin)
        assert "data-maintenance" not in client.get(reverse("core:home")).content.decode()
    window.refresh_from_db()
    assert window.status == WindowStatus.CANCELLED
    assert AuditEvent.objects.filter(action="facility.window_cancelled").exists()


@pytest.mark.django_db
def test_schedule_warns_when_a_bid_upload_deadline_falls_in_the_window(client, sysadmin, work_unit):
    """MON-5: a window over a tender's bid upload deadline needs explicit confirmation,
    and the form lists those tenders."""
    make_tender(
        work_unit,
        sysadmin,
        code="10000001",
        upload=(START - timedelta(days=5), START + timedelta(hours=1)),
    )
    make_tender(
        work_unit,
        sysadmin,
        code="10000002",
        upload=(START - timedelta(days=5), START - timedelta(hours=1)),
    )
    login(client, sysadmin)
    data = {
        "starts_at": "2026-09-12T20:00",
        "ends_at": "2026-09-12T23:00",
        "services": "SPSE",
        "message": "Pembaruan.",
        "read_only": "on",
        "banner_hours": "48",
    }
    with travel(START - timedelta(days=3)):
        response = client.post(reverse("facility:window_list"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "10000001" in page and "10000002" not in page
        assert "batas akhir upload dokumen penawaran" in page
        assert not MaintenanceWindow.objects.exists()
        response = client.post(reverse("facility:window_list"), {**data, "confirm_overlap": "on"})
        assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert [t["code"] for t in window.overlapping_tenders] == ["10000001"]
    assert AuditEvent.objects.filter(action="facility.window_scheduled").exists()


def two_tenders(work_unit, by) -> None:
    """Tender 10000001's upload stage ends inside the window, 10000002's two days after it."""
    make_tender(
        work_unit,
        by,
        code="10000001",
        upload=(START - timedelta(days=5), START + timedelta(hours=1)),
    )
    make_tender(
        work_unit,
        by,
        code="10000002",
        upload=(START - timedelta(days=5), END + timedelta(days=2)),
    )


@pytest.mark.django_db
@override_settings(LPSE_MAINTENANCE_BID_UPLOAD_URLS=["tenders:join"])
def test_bid_upload_of_a_tender_ending_in_the_window_is_let_through(
    client, vendor, sysadmin, work_unit
):
    """MON-5: during read-only, a POST to a bid upload URL (listed by URL name) passes when
    the tender's upload stage ends inside the window; other tenders' are refused."""
    two_tenders(work_unit, sysadmin)
    schedule(sysadmin, confirm=True)
    login(client, vendor)
    with travel(START + timedelta(minutes=30)):
        ending = client.post(reverse("tenders:join", kwargs={"code": "10000001"}), {})
        later = client.post(reverse("tenders:join", kwargs={"code": "10000002"}), {})
    assert ending.status_code != 503
    assert later.status_code == 503


@pytest.mark.django_db
def test_schedule_refuses_an_end_before_the_start(sysadmin):
    """MON-5: bad input gives a clear Indonesian message and nothing is stored."""
    with pytest.raises(window_services.WindowError) as error:
        schedule(sysadmin, end=START - timedelta(hours=1))
    assert "sesudah waktu mulai" in error.value.message
    assert not MaintenanceWindow.objects.exists()


@pytest.mark.django_db
def test_only_the_sysadmin_opens_the_console(client, head):
    """MON-5: the maintenance console is the system administrator's."""
    login(client, head)
    assert client.get(reverse("facility:window_list")).status_code == 403


@pytest.mark.django_db
def test_sysadmin_keeps_the_operations_console_during_read_only(client, sysadmin):
    """MON-5: the sysadmin's operations console writes are not refused (a 503 would hide
    incidents during maintenance); sensors keep pushing readings."""
    schedule(sysadmin)
    with travel(START + timedelta(minutes=30)):
        login(client, sysadmin)
        response = client.post(reverse("ops:tokens"), {})
        assert response.status_code != 503
        response = client.post(reverse("facility:sensor_push"), {})
        assert response.status_code == 401  # reached the endpoint: no token


@pytest.mark.django_db
def test_default_lets_through_only_the_bid_upload_endpoints(client, vendor, sysadmin, work_unit):
    """MON-5, BID-2: by default the browser upload and the tus endpoints of a tender whose
    upload stage ends in the window pass read-only mode; other bid pages' writes (the key
    ceremony, the opening) are refused like any write."""
    make_tender(
        work_unit,
        sysadmin,
        code="10000001",
        upload=(START - timedelta(days=5), START + timedelta(hours=1)),
    )
    schedule(sysadmin, confirm=True)
    login(client, vendor)
    code = {"code": "10000001"}
    with travel(START + timedelta(minutes=30)):
        upload = client.post(reverse("bids:upload", kwargs=code), {})
        tus = client.post(reverse("bids:tus_create", kwargs=code), {})
        key = client.post(reverse("bids:key_create", kwargs=code), {})
        opening = client.post(reverse("bids:open", kwargs=code), {})
    assert upload.status_code != 503 and tus.status_code != 503
    assert key.status_code == 503 and opening.status_code == 503


def test_api_bid_upload_creation_passes_read_only_only_for_a_deadline_in_the_window(
    client, vendor, sysadmin, work_unit
):
    """MON-5, BID-2, GEN-3: `lpse-seal upload` creates its upload through the JSON API; that
    POST passes read-only mode when the tender's upload stage ends in the window, and any
    other API write gets the JSON 503 with code read_only."""
    from lpse.api.choices import Scope
    from lpse.api.services import issue_token

    two_tenders(work_unit, sysadmin)
    schedule(sysadmin, confirm=True)
    _, secret = issue_token(vendor, name="lpse-seal", scopes=[Scope.BIDS_WRITE], by=vendor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"length": 1000, "file_name": "bid.p7m", "sha256": "a" * 64, "md5": "b" * 32}
    with travel(START + timedelta(minutes=30)):
        inside = client.post(
            "/api/v1/tenders/10000001/bid-uploads", body, content_type="application/json", **auth
        )
        later = client.post(
            "/api/v1/tenders/10000002/bid-uploads", body, content_type="application/json", **auth
        )
    assert inside.status_code != 503
    assert later.status_code == 503
    assert later.json()["code"] == "read_only"
