"""`lpse demo` gives the running demo tenders a tender key, so demo vendors can seal and
upload bids at once (BID-4)."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography import x509
from django.core.management import call_command

from lpse.tenders.choices import StageKind
from lpse.tenders.models import Tender

from .. import keys
from ..models import TenderKey

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-demo-bersama"


def test_demo_keys_running_tenders_and_opens_with_the_demo_password_BID_4(
    settings, tmp_path, bids_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("demo", "--password", PASSWORD, stdout=out)

    keyed = {key.tender.stage_label() for key in TenderKey.objects.select_related("tender")}
    assert keyed == {"Download Dokumen Pemilihan", "Upload Dokumen Penawaran"}
    assert "Kunci tender demo untuk penawaran tersegel (DATA DEMO):" in out.getvalue()

    tender = next(t for t in Tender.objects.all() if t.stage_label() == "Upload Dokumen Penawaran")
    key = tender.bid_key
    assert key.created_at < tender.stage(StageKind.BID_UPLOAD).starts_at
    shares = [(bytes(share.share), PASSWORD) for share in key.shares.all()[: key.threshold]]
    private_key = keys.combine_private_key(bytes(key.encrypted_private_key), shares)
    certificate_key = x509.load_pem_x509_certificate(key.certificate_pem.encode()).public_key()
    assert private_key.public_key().public_numbers() == certificate_key.public_numbers()

    call_command("demo", "--password", PASSWORD, stdout=StringIO())
    assert TenderKey.objects.count() == 2
