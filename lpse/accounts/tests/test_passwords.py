"""SEC-2: Argon2 hashing, 12-character minimum, common passwords, reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from lpse.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

#: The production list: settings.py prepends MD5 only when running under pytest.
PRODUCTION_HASHERS = [
    hasher for hasher in settings.PASSWORD_HASHERS if not hasher.endswith("MD5PasswordHasher")
]


def test_production_passwords_are_hashed_with_argon2():
    """SEC-2: outside the test run the stored hash is Argon2."""
    assert PRODUCTION_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        encoded = make_password("Kuda-Lari-Kencang-9")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("Kuda-Lari-Kencang-9", encoded)


def change(client, user, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_eleven_characters_are_refused_in_indonesian(client, vendor):
    """SEC-2: a password of 11 characters is refused next to the field, in Indonesian."""
    login(client, vendor)
    response = change(client, vendor, "Ab3$efgh1jk")
    assert response.status_code == 200
    assert "Harus mengandung setidaknya 12 karakter" in response.text
    vendor.refresh_from_db()
    assert vendor.check_password(PASSWORD)


def test_common_password_is_refused(client, vendor):
    """SEC-2: a password from the common-password list is refused."""
    login(client, vendor)
    response = change(client, vendor, "password1234")
    assert "Kata sandi ini terlalu umum" in response.text
    vendor.refresh_from_db()
    assert vendor.check_password(PASSWORD)


def test_password_change_with_good_password(client, head):
    """SEC-2: a good password of 12+ characters is accepted and audited."""
    from lpse.audit.models import AuditEvent

    login(client, head)
    response = change(client, head, "Kuda-Lari-Kencang-9")
    assert response["Location"] == reverse("accounts:password_change_done")
    head.refresh_from_db()
    assert head.check_password("Kuda-Lari-Kencang-9")
    assert AuditEvent.objects.filter(action="accounts.password_change").exists()


def test_password_reset_email_is_indonesian_and_link_works(client, vendor):
    """SEC-2: the reset e-mail is in Indonesian and its link sets a new password once."""
    response = client.post(reverse("accounts:password_reset"), {"email": vendor.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [vendor.email]
    assert message.subject.startswith("Atur ulang kata sandi akun")
    assert "Kami menerima permintaan untuk mengatur ulang kata sandi" in message.body
    assert settings.SITE_URL in message.body

    link = re.search(r"https?://\S+/kata-sandi/atur/\S+/", message.body).group(0)
    path = link.removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    assert "Buat kata sandi baru" in form_page.text
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Kuda-Lari-Kencang-9", "new_password2": "Kuda-Lari-Kencang-9"}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    vendor.refresh_from_db()
    assert vendor.check_password("Kuda-Lari-Kencang-9")
    assert "tidak berlaku lagi" in client.get(path, follow=True).text


def test_password_reset_for_unknown_address_sends_nothing(client, vendor):
    """SEC-2: an unknown address gets the same answer and no e-mail (no account probing)."""
    response = client.post(reverse("accounts:password_reset"), {"email": "tidak@ada.id"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
