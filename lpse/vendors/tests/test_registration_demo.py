"""`lpse demo` adds applicants in every registration state, marked as demo (REG-1..REG-6)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

# `lpse demo` also adds the companies that take part in the demo tenders (BID-1).
from lpse.tenders.demo import TENDER_VENDORS
from lpse.vendors.choices import VendorStatus
from lpse.vendors.demo import DEMO_VENDORS
from lpse.vendors.models import Vendor

DEMO_PASSWORD = "Demo-Kata-Sandi-Panjang-2026"


@pytest.mark.django_db
def test_demo_adds_applicants_in_every_state_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("demo", "--password", DEMO_PASSWORD, stdout=out)
    vendors = Vendor.objects.select_related("user")
    assert vendors.count() == len(DEMO_VENDORS) + len(TENDER_VENDORS)
    assert all(v.is_demo and v.user.is_demo and v.name.endswith("(DEMO)") for v in vendors)
    assert all(v.email.endswith("@demo.invalid") for v in vendors)
    statuses = {v.user.username: v.status for v in vendors}
    assert set(statuses.values()) == set(VendorStatus)
    assert statuses["demo_bina_usaha"] == VendorStatus.EXPIRED
    near = vendors.get(user__username="demo_tirta_abadi")
    fresh = vendors.get(user__username="demo_karya_bersama")
    assert near.verification_deadline < fresh.verification_deadline
    activated = vendors.get(user__username="demo_penyedia_jaya")
    assert activated.activated_at is not None
    assert activated.user.check_password(DEMO_PASSWORD)
    assert vendors.get(user__username="demo_mitra_sarana").activated_at is None
    assert "demo_cahaya_timur" in out.getvalue()
    call_command("demo", stdout=StringIO())
    assert Vendor.objects.count() == len(DEMO_VENDORS) + len(TENDER_VENDORS)
