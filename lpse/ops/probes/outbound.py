"""Outbound connectivity (MON-2, Pasal 12(3)): do the configured targets answer?

Targets come from LPSE_OPS_OUTBOUND_URLS (none by default: a closed network
should not be spammed). An unreachable target is a recorded 0, not an error.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import series
from .base import Result

KIND = "outbound"
LABEL = gettext_lazy("Koneksi keluar")
DEFAULT_INTERVAL = 300


def check(client: httpx.Client, url: str) -> tuple[bool, float, str]:
    """(answered, seconds, note): any HTTP status counts as reachable."""
    started = time.perf_counter()
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        return False, time.perf_counter() - started, type(exc).__name__
    return True, time.perf_counter() - started, str(response.status_code)


def collect(previous=None) -> Result:
    targets = settings.LPSE_OPS_OUTBOUND_URLS
    result = Result()
    if not targets:
        result.summary = _("Tidak ada tujuan yang dikonfigurasi (LPSE_OPS_OUTBOUND_URLS).")
        return result
    down = []
    with httpx.Client(timeout=settings.LPSE_OPS_TIMEOUT_SECONDS, follow_redirects=False) as client:
        for url in targets:
            target = urlsplit(url).hostname or url
            up, seconds, note = check(client, url)
            result.values[series.key("outbound_up", target=target)] = 1.0 if up else 0.0
            result.values[series.key("outbound_response_seconds", target=target)] = seconds
            result.detail[target] = note
            if not up:
                down.append(target)
    result.summary = (
        _("Tidak terjangkau: %(targets)s") % {"targets": ", ".join(down)}
        if down
        else _("%(count)d tujuan terjangkau.") % {"count": len(targets)}
    )
    return result
