"""The client's address, taken correctly behind a configured number of proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the farthest trusted proxy saw it.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, and the nearest proxy is REMOTE_ADDR. Behind N trusted
    proxies the client is therefore the Nth entry from the right; anything
    further left was written by the client and may be forged. With no trusted
    proxy (the default) the header is ignored entirely.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.LPSE_TRUSTED_PROXIES
    if proxies == 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        return remote  # the request did not come through all our proxies
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
