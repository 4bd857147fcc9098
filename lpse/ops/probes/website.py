"""Website (MON-2): the public page and the application server's health endpoint
answer; response time; days left on the TLS certificate when the site is HTTPS.

Target: LPSE_OPS_WEBSITE_URL (default this server's LPSE_SITE_URL). The certificate is
verified against the system CAs, or LPSE_OPS_TLS_CA_FILE for an internal CA.
"""

from __future__ import annotations

import socket
import ssl
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "website"
LABEL = gettext_lazy("Situs web")
DEFAULT_INTERVAL = 60
#: A failed check is tried once more after this pause before it counts as down: the web
#: server may still be starting beside the task queue (`lpse serve`), or one request dropped.
RETRY_SECONDS = 2.0


def certificate_expires(url: str, timeout: float) -> datetime:
    """When the TLS certificate the server presents expires (verified against the system CAs)."""
    parts = urlsplit(url)
    context = ssl.create_default_context(cafile=settings.LPSE_OPS_TLS_CA_FILE or None)
    address = (parts.hostname, parts.port or 443)
    with (
        socket.create_connection(address, timeout=timeout) as sock,
        context.wrap_socket(sock, server_hostname=parts.hostname) as tls,
    ):
        not_after = tls.getpeercert()["notAfter"]
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), tz=UTC)


def _get(client: httpx.Client, url: str) -> tuple[bool, str, float]:
    """(answered with a status below 400, status or error name, seconds)."""
    started = time.perf_counter()
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        return False, type(exc).__name__, time.perf_counter() - started
    return response.status_code < 400, str(response.status_code), time.perf_counter() - started


def collect(previous=None) -> Result:
    base = settings.LPSE_OPS_WEBSITE_URL
    checks = {"page": base + "/", "health": base + reverse("healthz")}
    result = Result()
    problems = []
    verify = (
        ssl.create_default_context(cafile=settings.LPSE_OPS_TLS_CA_FILE)
        if settings.LPSE_OPS_TLS_CA_FILE
        else True
    )
    with httpx.Client(
        timeout=settings.LPSE_OPS_TIMEOUT_SECONDS, follow_redirects=True, verify=verify
    ) as client:
        for check, url in checks.items():
            up, note, seconds = _get(client, url)
            if not up:
                time.sleep(RETRY_SECONDS)
                up, note, seconds = _get(client, url)
            result.values[series.key("website_up", check=check)] = 1.0 if up else 0.0
            result.values[series.key("website_response_seconds", check=check)] = seconds
            result.detail[check] = {"url": url, "result": note}
            if not up:
                problems.append(f"{url} ({note})")
    if base.startswith("https://"):
        try:
            expires = certificate_expires(base, settings.LPSE_OPS_TIMEOUT_SECONDS)
        except (OSError, ssl.SSLError, KeyError, ValueError) as exc:
            result.detail["tls"] = type(exc).__name__
            problems.append(_("sertifikat TLS tidak dapat diperiksa (%(error)s)") % {
                "error": type(exc).__name__
            })  # fmt: skip
        else:
            remaining = (expires - datetime.now(UTC)).total_seconds()
            result.values[series.key("website_tls_cert_remaining_seconds")] = remaining
            result.detail["tls"] = expires.isoformat()
    result.summary = (
        _("Bermasalah: %(problems)s") % {"problems": "; ".join(problems)}
        if problems
        else _("Halaman dan pemeriksaan kesehatan menjawab.")
    )
    return result
