"""Registration by e-mail confirmation and the online form (REG-1, REG-2, REG-3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from lpse.accounts.choices import Role
from lpse.core import calendar
from lpse.sop.choices import CaseStatus
from lpse.vendors import services
from lpse.vendors.choices import VendorStatus
from lpse.vendors.models import EmailConfirmation, Vendor

from .test_registration_helpers import (
    form_data,
    link_in,
    make_applicant,
    path_of,
    registry,  # noqa: F401 - fixture used by pytestmark
)

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry")]


def request_link(client, capture, email="admin@majujaya.co.id"):
    with capture(execute=True):
        response = client.post(reverse("vendors:register"), {"email": email})
    return response


def test_reg1_email_entry_sends_indonesian_confirmation_link_text_and_html(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(reverse("vendors:register"))
    assert "Daftar sebagai penyedia" in page.content.decode()
    assert reverse("vendors:form_pdf", args=["pendaftaran"]) in page.content.decode()
    response = request_link(client, django_capture_on_commit_callbacks, "Admin@MajuJaya.co.id")
    assert "Tautan konfirmasi telah dikirim" in response.content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["admin@majujaya.co.id"]
    assert "Konfirmasi pendaftaran penyedia" in message.subject
    assert "hanya dapat dipakai sekali" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link_in(message) in html
    # Only the hash of the token is stored.
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    stored = EmailConfirmation.objects.get()
    assert stored.token_hash != token and stored.token_hash == services.token_hash(token)


@pytest.mark.parametrize("kind", ["pendaftaran", "keikutsertaan"])
def test_reg1_forms_are_pdfs_with_the_lpse_letterhead_and_a_document_number(client, kind, settings):
    response = client.get(reverse("vendors:form_pdf", args=[kind]))
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    assert settings.LPSE_NAME.upper().encode() in body
    assert b"Nomor dokumen: LPSE/SOP-1.1/F-0" in body


def test_reg1_confirmation_link_expires_after_48_hours(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=WIB), tick=False) as traveller:
        request_link(client, django_capture_on_commit_callbacks)
        link = path_of(link_in(mailoutbox[0]))
        traveller.shift(timedelta(hours=47, minutes=59))
        assert client.get(link).status_code == 200
        traveller.shift(timedelta(minutes=2))
        response = client.get(link)
    assert response.status_code == 410
    text = response.content.decode()
    assert "sudah kedaluwarsa" in text and "Minta tautan baru" in text


def test_reg2_submit_creates_vendor_without_password_and_emails_user_id_and_requirements(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    start = datetime(2026, 3, 16, 10, 0, tzinfo=WIB)  # Monday before Nyepi and Idul Fitri 2026
    with time_machine.travel(start, tick=False):
        request_link(client, django_capture_on_commit_callbacks)
        link = path_of(link_in(mailoutbox[0]))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link, form_data())
        vendor = Vendor.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "vendors:status_link", args=[services.status_token(vendor)]
        )
        expected_deadline = calendar.working_deadline(start, 7)
    assert vendor.status == VendorStatus.PENDING_VERIFICATION
    assert vendor.tax_id == "012345678901000" and vendor.email == "admin@majujaya.co.id"
    assert vendor.registration_number == "REG-2026-000001"
    assert vendor.verification_deadline == expected_deadline
    # Holidays are not counted: 7 working days reach past 7 calendar days.
    assert vendor.verification_deadline - start > timedelta(days=9)
    user = vendor.user
    assert user.username == "majujaya" and not user.has_usable_password()
    assert user.has_role(Role.VENDOR)
    message = mailoutbox[1]
    assert "majujaya" in message.body and "REG-2026-000001" in message.subject
    assert "Akta pendirian perusahaan" in message.body
    assert "09:00-15:00" in message.body
    assert vendor.verification_deadline.astimezone(WIB).strftime("%d-%m-%Y") in message.body
    # The link is used up.
    again = client.get(link)
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()
    # SOP 1.1 case: steps 1-6 finished, step 7 running until the deadline.
    case = vendor.sop_case
    assert case.status == CaseStatus.OPEN
    runs = {run.step.number: run for run in case.runs.select_related("step")}
    assert all(runs[n].ended_at is not None for n in range(1, 7))
    assert runs[1].started_at == EmailConfirmation.objects.get().created_at
    assert runs[7].ended_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("director_id_number", "36031212038000", "NIK harus 16 digit"),
        ("tax_id", "01.234.567.8-901", "NPWP harus 15 atau 16 digit"),
        ("business_id", "91200012345", "NIB harus 13 digit"),
        ("username", "PT Maju!", "User ID harus 4-30 karakter"),
        ("username", "abc", "User ID harus 4-30 karakter"),
    ],
)
def test_reg2_form_refuses_bad_numbers_in_indonesian_and_keeps_the_data(
    client, field, value, message
):
    _confirmation, raw = services.request_confirmation("admin@majujaya.co.id")
    link = reverse("vendors:confirm", args=[raw])
    response = client.post(link, form_data(**{field: value}))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'value="PT Maju Jaya Konstruksi"' in text and "Jl. Raya Serang Km 12 No. 5" in text
    assert not Vendor.objects.exists()
    assert EmailConfirmation.objects.get().used_at is None


def test_reg2_duplicates_of_npwp_nib_and_user_id_are_refused_with_clear_messages(client):
    make_applicant()
    _confirmation, raw = services.request_confirmation("lain@perusahaan.co.id")
    response = client.post(reverse("vendors:confirm", args=[raw]), form_data(name="PT Lain"))
    text = response.content.decode()
    assert "NPWP ini sudah terdaftar sebagai penyedia." in text
    assert "NIB ini sudah terdaftar sebagai penyedia." in text
    assert "User ID ini sudah dipakai; pilih User ID lain." in text
    assert 'value="PT Lain"' in text
    assert Vendor.objects.count() == 1


def test_reg1_registered_email_cannot_ask_for_a_second_registration(client):
    make_applicant()
    response = client.post(reverse("vendors:register"), {"email": "ADMIN@majujaya.co.id"})
    assert "E-mail ini sudah terdaftar sebagai penyedia." in response.content.decode()
    assert EmailConfirmation.objects.count() == 1


def test_reg3_vendor_cannot_log_in_or_change_company_data_before_verification(client):
    vendor = make_applicant()
    response = client.post(reverse("accounts:login"), {"username": "majujaya", "password": ""})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not vendor.user.has_usable_password()
    assert not vendor.can_edit_company_data and not vendor.can_bid


def test_reg3_status_page_shows_requirements_and_working_day_countdown(client):
    start = datetime(2026, 5, 4, 10, 0, tzinfo=WIB)  # Monday
    with time_machine.travel(start, tick=False):
        vendor = make_applicant()
    with time_machine.travel(start + timedelta(days=2), tick=False):  # Wednesday
        response = client.get(reverse("vendors:status_link", args=[services.status_token(vendor)]))
    text = response.content.decode()
    remaining = 0
    day = datetime(2026, 5, 6).date()
    while day < vendor.verification_deadline.astimezone(WIB).date():
        day = calendar.add_working_days(day, 1)
        remaining += 1
    assert f"{remaining} hari kerja lagi" in text
    assert remaining == 5  # no holiday between Wed 6 and Wed 13 May 2026
    assert "KTP direktur/pimpinan perusahaan" in text and "09:00-15:00" in text
    assert "<script>" not in text  # no inline script: the countdown is server-rendered
    assert client.get("/penyedia/status/rusak/").status_code == 404


def test_reg3_one_reminder_before_the_deadline_then_expiry_kept_and_renewable(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.LPSE_VERIFICATION_REMINDER_DAYS = 2
    start = datetime(2026, 5, 4, 10, 0, tzinfo=WIB)  # Monday; deadline Wed 13 May
    with time_machine.travel(start, tick=False):
        vendor = make_applicant()
    mailoutbox.clear()
    with (
        time_machine.travel(datetime(2026, 5, 8, 12, 0, tzinfo=WIB), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.remind_and_expire().reminded == 0
    with (
        time_machine.travel(datetime(2026, 5, 11, 16, 0, tzinfo=WIB), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = services.remind_and_expire()
        second = services.remind_and_expire()
    assert (first.reminded, second.reminded) == (1, 0)
    assert len(mailoutbox) == 1 and "Pengingat" in mailoutbox[0].subject
    with (
        time_machine.travel(vendor.verification_deadline + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.remind_and_expire().expired == 1
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.EXPIRED and vendor.expired_at is not None
    case = vendor.sop_case
    assert case.status == CaseStatus.CLOSED and case.outcome == "Kedaluwarsa"
    assert "kedaluwarsa" in mailoutbox[-1].subject
    # Renewal: the same e-mail and NPWP register again and reuse the record.
    with time_machine.travel(datetime(2026, 5, 18, 9, 0, tzinfo=WIB), tick=False):
        renewed = make_applicant(username="majujaya2")
    assert renewed.pk == vendor.pk and renewed.status == VendorStatus.PENDING_VERIFICATION
    assert renewed.user.username == "majujaya2"
    assert renewed.verification_deadline > datetime(2026, 5, 18, tzinfo=WIB)
    assert Vendor.objects.count() == 1
    assert renewed.sop_cases.count() == 2 and renewed.sop_case.status == CaseStatus.OPEN


def test_reg2_simultaneous_registrations_never_share_a_registration_number(monkeypatch):
    """REG-2: when another registration took the number first (a race on PostgreSQL),
    the next free number is used instead of failing the vendor's submission."""
    first = make_applicant()
    taken = first.registration_number
    real = services._registration_number
    answers = iter([taken])  # the first pick collides, as the loser of a race would

    def racing_pick(now):
        return next(answers, None) or real(now)

    monkeypatch.setattr(services, "_registration_number", racing_pick)
    second = make_applicant(
        "info@sinarabadi.co.id",
        tax_id="02.345.678.9-012.000",
        username="sinar_abadi",
        business_id="9120304050607",
        name="PT Sinar Abadi",
    )
    assert second.registration_number != taken
    assert second.registration_number.endswith("000002")
