"""The website probe reads the days left on the site's TLS certificate (MON-2): a real
`openssl s_server` with a certificate that expires in 10 days raises the 21-day warning."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from lpse.conftest import require_tool
from lpse.ops.models import Incident
from lpse.ops.runner import run_probe

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tls_server(tmp_path):
    openssl = require_tool("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "10",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [openssl, "s_server", "-accept", str(port), "-cert", str(cert), "-key", str(key),
         "-www", "-quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"https://localhost:{port}", cert
    server.terminate()
    server.wait(timeout=10)


def test_mon_2_certificate_expiring_in_10_days_warns(tls_server, settings):
    """MON-2: 10 days left is under the 21-day warning and over the 7-day critical bound."""
    url, cert = tls_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LPSE_OPS_WEBSITE_URL = url
    settings.LPSE_OPS_TLS_CA_FILE = str(cert)
    run = run_probe("website")
    days = run.values["website_tls_cert_remaining_seconds"] / 86400
    assert 9 < days <= 10
    assert run.values['website_up{check="page"}'] == 1.0
    incident = Incident.objects.get(key="metric:website_tls_cert_remaining_seconds")
    assert incident.level == "warning"
    assert "Sisa masa berlaku sertifikat TLS" in incident.title and "hari" in incident.title
