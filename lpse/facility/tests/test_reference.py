"""Reference data kept by the administrators, news on the home page (MNT-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lpse.audit.models import AuditEvent
from lpse.conftest import login
from lpse.vendors.models import BusinessField

from ..models import ItemCategory, News, PriceIndexEntry


@pytest.mark.django_db
def test_news_shows_on_the_public_home_page_newest_first(client, appadmin):
    """MNT-2: news published by an administrator is on the home page, newest first;
    an unpublished or future item is not."""
    login(client, appadmin)
    now = timezone.localtime()
    for title, when in [
        ("Lelang jalan desa", now - timedelta(days=2)),
        ("Sosialisasi SPSE 4.5", now - timedelta(hours=1)),
    ]:
        response = client.post(
            reverse("facility:reference", args=["berita"]),
            {
                "title": title,
                "body": "Isi berita.",
                "published_at": when.strftime("%Y-%m-%dT%H:%M"),
                "is_published": "on",
            },
        )
        assert response.status_code == 302
    News.objects.create(title="Belum tayang", body="x", created_by=appadmin, is_published=False)
    News.objects.create(
        title="Besok", body="x", created_by=appadmin, published_at=now + timedelta(days=1)
    )
    client.logout()
    page = client.get(reverse("core:home")).content.decode()
    assert page.index("Sosialisasi SPSE 4.5") < page.index("Lelang jalan desa")
    assert "Belum tayang" not in page and "Besok" not in page
    assert "Isi berita." in client.get(reverse("facility:news")).content.decode()
    assert AuditEvent.objects.filter(action="facility.news_created").count() == 2


@pytest.mark.django_db
def test_price_index_and_categories_are_kept_and_audited(client, sysadmin):
    """MNT-2: a price index entry with its category; edits are audited with before/after."""
    login(client, sysadmin)
    client.post(
        reverse("facility:reference", args=["kategori-barang"]),
        {"code": "ATK", "name": "Alat tulis kantor", "is_active": "on"},
    )
    category = ItemCategory.objects.get()
    response = client.post(
        reverse("facility:reference", args=["indeks-harga"]),
        {
            "item": "Kertas A4 80 gram",
            "category": category.pk,
            "unit": "rim",
            "price": "52000",
            "region": "Kabupaten Tangerang",
            "period": "2026-11-17",
            "source": "Survei pasar LPSE",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = PriceIndexEntry.objects.get()
    assert entry.period.day == 1
    response = client.post(
        reverse("facility:reference_edit", args=["indeks-harga", entry.pk]),
        {
            "item": "Kertas A4 80 gram",
            "category": category.pk,
            "unit": "rim",
            "price": "-5",
            "region": "Kabupaten Tangerang",
            "period": "2026-11-01",
            "source": "Survei",
        },
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.price == 52000
    client.post(
        reverse("facility:reference_edit", args=["indeks-harga", entry.pk]),
        {
            "item": "Kertas A4 80 gram",
            "category": category.pk,
            "unit": "rim",
            "price": "55000",
            "region": "Kabupaten Tangerang",
            "period": "2026-11-01",
            "source": "Survei",
        },
    )
    event = AuditEvent.objects.get(action="facility.priceindexentry_changed")
    assert event.before["price"] == "52000.00" and event.after["price"] == "55000.00"
    assert event.after["is_active"] is False


@pytest.mark.django_db
def test_business_fields_are_edited_and_deactivated_not_deleted(client, appadmin):
    """MNT-2: the vendors' business fields (sub-fields under a field) are kept here;
    a field cannot become its own parent."""
    before = BusinessField.objects.count()
    parent = BusinessField.objects.create(code="X41", name="Konstruksi gedung")
    child = BusinessField.objects.create(code="X41011", name="Gedung hunian", parent=parent)
    login(client, appadmin)
    response = client.post(
        reverse("facility:reference_edit", args=["bidang-usaha", parent.pk]),
        {
            "code": "X41",
            "name": "Konstruksi gedung",
            "parent": child.pk,
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "Induk tidak boleh" in response.content.decode()
    response = client.post(
        reverse("facility:reference_edit", args=["bidang-usaha", child.pk]),
        {"code": "X41011", "name": "Gedung hunian", "parent": parent.pk, "order": 0},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.is_active is False
    assert BusinessField.objects.count() == before + 2
    assert AuditEvent.objects.filter(action="facility.businessfield_changed").exists()


@pytest.mark.django_db
def test_user_identities_list_and_deactivation(client, appadmin, vendor, verifier):
    """MNT-2: administrators see user accounts with roles and status and deactivate one
    through the accounts app's service (audited there)."""
    login(client, appadmin)
    page = client.get(reverse("facility:users"), {"q": "pt_maju"}).content.decode()
    assert vendor.username in page and "Penyedia Barang/Jasa" in page
    assert verifier.username not in page
    response = client.post(reverse("facility:user_active", args=[vendor.pk]), {"active": "0"})
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.is_active is False
    assert AuditEvent.objects.filter(action="accounts.deactivate").exists()


@pytest.mark.django_db
def test_reference_pages_are_closed_to_vendors(client, vendor):
    """MNT-2: only administrators keep reference data."""
    login(client, vendor)
    assert client.get(reverse("facility:reference", args=["berita"])).status_code == 403
    assert client.get(reverse("facility:users")).status_code == 403
