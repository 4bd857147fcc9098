"""BID-2/BID-4 in real headless Chromium: a vendor uploads bid files through the page with
a progress bar and gets the receipt, another uploads a pre-sealed envelope (resumable, tus);
the committee opens all bids with two passphrases.

The live server runs in this process, so time-machine moves its clock to the upload and then
the opening stage (forward from the real time, so cookies stay valid)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from cryptography import x509
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lpse.accounts.choices import Role
from lpse.accounts.models import WorkUnit
from lpse.conftest import browser_login, make_user, screenshot
from lpse.sop.services import load_procedures
from lpse.tenders import services as tender_services
from lpse.tenders.tests.helpers import LAYOUT, activated_vendor, join, make_tender

from .. import crypto, key_services
from ..models import Bid, BidOpening
from .helpers import PASSPHRASES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_page(factory, user, device):
    page = factory().new_page()
    browser_login(page, user.username)
    page.fill(
        "input[name=token]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    with page.expect_navigation():
        page.press("input[name=token]", "Enter")
    return page


def test_vendor_uploads_with_progress_and_committee_opens_BID_2_BID_4(
    browser_context_factory, browser_problems, settings, tmp_path, tmp_path_factory
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LPSE_BIDS_DIR = tmp_path / "bids"
    settings.LPSE_CA_DIR = tmp_path_factory.getbasetemp() / "lpse-ca"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_procedures()
    unit = WorkUnit.objects.create(code="DBMSDA", name="Dinas Bina Marga dan Sumber Daya Air")
    members = [
        make_user("pokja", Role.COMMITTEE, first_name="Iwan", last_name="Kurniawan"),
        make_user("pokja2", Role.COMMITTEE),
        make_user("pokja3", Role.COMMITTEE),
    ]
    device = TOTPDevice.objects.create(user=members[1], name="uji", confirmed=True)
    start = (timezone.localtime() + timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    tender = make_tender(members[0], make_user("ppk", Role.PPK), unit, start=start)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        for user in members[1:]:
            tender_services.add_member(tender, user, by=members[0])
        key_services.create_server_key(
            tender,
            threshold=2,
            passphrases={m.pk: PASSPHRASES[m.username] for m in members},
            by=members[0],
        )
    company = activated_vendor("pt_maju", "PT Maju Jaya", "012345678901234", "a@majujaya.co.id")
    join(tender, company, at=start + timedelta(days=1, hours=2))
    second = activated_vendor("cv_sinar", "CV Sinar", "998877665544332", "info@sinar.co.id")
    join(tender, second, at=start + timedelta(days=1, hours=3))
    certificate = x509.load_pem_x509_certificate(tender.bid_key.certificate_pem.encode())
    sealed = io.BytesIO()
    crypto.seal_stream(io.BytesIO(b"%PDF-1.4 amplop " * 200_000), sealed, certificate)
    document = b"%PDF-1.4 penawaran harga " + b"0123456789" * 300_000  # ~3 MB

    with time_machine.travel(start + timedelta(days=LAYOUT["bid_upload"][0], hours=1), tick=True):
        page = browser_context_factory().new_page()
        browser_login(page, "pt_maju")
        page.goto(f"/penawaran/{tender.code}/")
        assert "Upload Dokumen Penawaran" in page.content()
        page.set_input_files(
            "#bid-files",
            files=[{"name": "penawaran.pdf", "mimeType": "application/pdf", "buffer": document}],
        )
        screenshot(page, "bids-01-unggah")
        with page.expect_navigation(url="**/penawaran/tanda-terima/**", timeout=120_000):
            page.click("#bid-upload button[type=submit]")
        assert page.evaluate("sessionStorage.getItem('lpse-bid-progress')") == "100"
        bid = Bid.objects.get(source="browser")
        assert page.inner_text("#receipt-number") == bid.receipt_number
        assert page.inner_text("#sealed-sha256") == bid.sealed_sha256
        screenshot(page, "bids-02-tanda-terima")

        # A pre-sealed envelope (lpse-seal) through the page's resumable tus upload.
        page = browser_context_factory().new_page()
        browser_login(page, "cv_sinar")
        page.goto(f"/penawaran/{tender.code}/")
        page.set_input_files(
            "#bid-envelope",
            files=[{"name": "penawaran.p7m", "mimeType": "application/pkcs7-mime",
                    "buffer": sealed.getvalue()}],
        )  # fmt: skip
        with page.expect_navigation(url="**/penawaran/tanda-terima/**", timeout=120_000):
            page.click("#bid-tus button[type=submit]")
        assert page.evaluate("sessionStorage.getItem('lpse-tus-progress')") == "100"
        presealed = Bid.objects.get(source="presealed")
        assert page.inner_text("#sealed-sha256") == presealed.sealed_sha256

    opening_start = start + timedelta(days=LAYOUT["bid_opening"][0])
    with time_machine.travel(opening_start + timedelta(minutes=5), tick=True):
        page = staff_page(browser_context_factory, members[1], device)
        page.goto(f"/penawaran/kelola/{tender.code}/")
        with page.expect_navigation():
            page.click("text=Buka semua penawaran")
        page.fill(f"input[name=pass_{members[1].pk}]", PASSPHRASES["pokja2"])
        page.fill(f"input[name=pass_{members[2].pk}]", PASSPHRASES["pokja3"])
        screenshot(page, "bids-03-buka")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "Berhasil dibuka" in page.inner_text("#results-table")
        screenshot(page, "bids-04-hasil")
    assert set(BidOpening.objects.values_list("outcome", flat=True)) == {"opened"}
    assert browser_problems == []
