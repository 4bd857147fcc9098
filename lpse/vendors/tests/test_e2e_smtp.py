"""The whole vendor path with e-mails received over real SMTP (REG-1..REG-5).

An aiosmtpd sink listens on a free local port; Django sends through its SMTP
backend; the test reads each message as a mail client would and follows its
links with the test client (tasks run immediately in tests).
"""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from lpse.conftest import login
from lpse.vendors.models import Vendor, VerificationChecklistItem

from .test_registration_helpers import form_data, registry  # noqa: F401 - fixture

PASSWORD = "Sandi-Baru-Perusahaan-2026"


class Sink:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def local(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_reg1_to_reg5_register_confirm_verify_activate_and_log_in_over_smtp(
    client, smtp, verifier, django_capture_on_commit_callbacks
):
    # REG-1: the company e-mail gets a confirmation link.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("vendors:register"), {"email": "pengadaan@cvsinar.co.id"})
    assert len(smtp.messages) == 1
    first = smtp.messages[0]
    assert first["To"] == "pengadaan@cvsinar.co.id"
    link = re.search(r"http\S+/penyedia/konfirmasi/\S+/", text_of(first)).group(0)
    assert link in html_of(first)
    # REG-2: the link opens the form; submitting it sends the User ID e-mail.
    assert client.get(local(link)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            local(link), form_data(name="CV Sinar Terang", username="cv.sinar_terang")
        )
    assert response.status_code == 302
    second = smtp.messages[1]
    body = text_of(second)
    assert "User ID: cv.sinar_terang" in body and "KTP direktur" in body
    status_link = re.search(r"http\S+/penyedia/status/\S+/", body).group(0)
    assert "hari kerja lagi" in client.get(local(status_link)).content.decode()
    # REG-4: the verifier finds the applicant and marks it complete.
    vendor = Vendor.objects.get()
    login(client, verifier)
    queue = client.get(reverse("vendors:desk"), {"q": "sinar"}).content.decode()
    assert vendor.registration_number in queue
    data = {
        f"seen_{item.pk}": "on" for item in VerificationChecklistItem.objects.filter(active=True)
    }
    data.update(outcome="complete", originals_seen="on")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("vendors:desk_verify", args=[vendor.pk]), data)
    client.logout()
    # REG-5: the activation e-mail carries the link and code; the vendor sets its password.
    third = smtp.messages[2]
    activation = re.search(r"http\S+/penyedia/aktivasi/\?kode=(\w+)", text_of(third))
    page = client.get(local(activation.group(0)))
    assert activation.group(1) in page.content.decode()  # the code is filled in from the link
    done = client.post(
        reverse("vendors:activate"),
        {
            "username": "cv.sinar_terang",
            "code": activation.group(1),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert done.status_code == 302
    logged_in = client.post(
        reverse("accounts:login"), {"username": "cv.sinar_terang", "password": PASSWORD}
    )
    assert logged_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == vendor.user_id
    assert len(smtp.messages) == 3
