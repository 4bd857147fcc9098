"""Rate limits of the API (GEN-3): per client address without a token, per token with one.

Counters live in the shared cache (the database cache on one machine, Redis when
scaled out), so every app server counts against the same limit. The client
address is the one `lpse.core.net.client_ip` trusts behind the configured proxies.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from lpse.core.net import client_ip


class AddressThrottle(AnonRateThrottle):
    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)


class TokenThrottle(AuthRateThrottle):
    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)


def throttles() -> list:
    return [
        AddressThrottle(settings.LPSE_API_RATE_ANON),
        TokenThrottle(settings.LPSE_API_RATE_TOKEN),
    ]
