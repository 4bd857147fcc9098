"""/metrics for LKPP (MON-6): bearer token issued and revoked on the console, Prometheus
conventions checked by the real `promtool check metrics`; /healthz and /readyz."""

from __future__ import annotations

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from lpse.audit.models import AuditEvent
from lpse.conftest import login, require_tool
from lpse.ops.models import MetricsToken
from lpse.ops.runner import run_all

pytestmark = pytest.mark.django_db


def scrape(client, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/metrics", **headers)


def issue(client, sysadmin) -> str:
    login(client, sysadmin)
    page = client.post(reverse("ops:tokens"), {"name": "Prometheus LKPP"})
    assert page.status_code == 200
    token = MetricsToken.objects.get()
    secret = page.context["secret"]
    assert secret.startswith(token.prefix) and secret in page.text
    assert secret not in str(MetricsToken.objects.values_list().get())  # only the hash is kept
    return secret


def test_mon_6_metrics_need_a_token_and_a_revoked_token_is_refused(client, sysadmin):
    """MON-6: no token or a wrong one is 401; the issued token reads; once revoked, 401."""
    assert scrape(client, None).status_code == 401
    assert scrape(client, "lpsem_salah").status_code == 401
    secret = issue(client, sysadmin)
    other = Client()  # the scraper: no session, only the token
    ok = scrape(other, secret)
    assert ok.status_code == 200
    assert ok["Content-Type"].startswith("text/plain; version=")
    token = MetricsToken.objects.get()
    client.post(reverse("ops:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == sysadmin
    assert scrape(other, secret).status_code == 401
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "ops.metrics_token_issued" in actions and "ops.metrics_token_revoked" in actions
    # The page never shows the secret again.
    assert secret not in client.get(reverse("ops:tokens")).text


def test_mon_6_metrics_pass_promtool_and_follow_conventions(client, sysadmin, settings, tmp_path):
    """MON-6: after a full round the exposition passes `promtool check metrics` with no
    output; names carry base units, counters end in _total, the backup age is exported
    (0 = no verified backup recorded yet)."""
    promtool = require_tool("promtool")
    settings.LPSE_OPS_FILESYSTEMS = [str(tmp_path)]
    settings.LPSE_OPS_WEBSITE_URL = "http://127.0.0.1:9"
    settings.LPSE_OPS_TIMEOUT_SECONDS = 1
    run_all()
    secret = issue(client, sysadmin)
    body = scrape(client, secret).content
    lint = subprocess.run(
        [promtool, "check", "metrics"], input=body, capture_output=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert lint.stdout == b"" and lint.stderr == b""
    text = body.decode()
    assert "lpse_backup_last_success_timestamp_seconds 0.0" in text
    assert "# TYPE lpse_auth_login_failures_total counter" in text
    assert f'lpse_filesystem_used_ratio{{mountpoint="{tmp_path}"}}' in text
    assert 'lpse_probe_success{kind="host"} 1.0' in text
    assert "lpse_incidents_open" in text


def test_healthz_is_cheap_and_readyz_checks_database_and_queue(client, django_assert_num_queries):
    """/healthz answers without touching the database; /readyz checks DB and queue."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert client.get(reverse("core:health")).status_code == 200  # the old endpoint stays


def test_readyz_is_503_when_the_queue_storage_fails(client, monkeypatch):
    """/readyz answers 503 and names the failing part when the queue storage errors."""
    from huey.contrib.djhuey import HUEY

    def broken():
        raise OSError("storage gone")

    monkeypatch.setattr(HUEY, "pending_count", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "queue": "fail"}


def test_health_endpoints_answer_a_load_balancer_by_ip_over_plain_http(client, settings):
    """A load balancer calls the server by its IP (not an allowed host) and over HTTP even
    when the site redirects to HTTPS: /healthz and /readyz still answer 200, other pages
    keep refusing the unknown host."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").json()["status"] == "ok"
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
