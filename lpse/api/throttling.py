"""Rate limits of the API (GEN-3): per client address without a token, per token with one.

Counters live in the shared cache (the database cache on one machine, Redis when
scaled out), so every app server counts against the same limit. Each limit is a
fixed window counted with the cache's atomic `incr` (one round trip, no
read-modify-write of a list as ninja's own throttles do, which loses counts under
concurrent requests and keeps per-request state on a shared object). The rate is
read from the settings at each request (LPSE_API_RATE_ANON, LPSE_API_RATE_TOKEN:
"120/m", "600/m", "10/s", "1000/h"), so it can change without re-importing the API.
The client address is the one `lpse.core.net.client_ip` trusts behind the
configured proxies. A refused request answers 429 with Retry-After (seconds to the
window's end) and the error body.
"""

from __future__ import annotations

import math
import threading
import time
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from lpse.core.net import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("120/m") -> (120, 60): requests allowed per window of that many seconds."""
    count, _slash, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1]]


class FixedWindowThrottle(BaseThrottle, ABC):
    #: The settings name of the rate, and the cache key's label.
    setting = ""
    scope = ""

    def __init__(self) -> None:
        # wait() has no request argument: the last refusal's wait is kept per thread.
        self._local = threading.local()

    @abstractmethod
    def ident(self, request: HttpRequest) -> str | None:
        """Whom the request counts against; None: this throttle does not apply."""

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        limit, period = parse_rate(getattr(settings, self.setting))
        now = time.time()
        window = int(now // period)
        key = f"lpse:api-rate:{self.scope}:{ident}:{period}:{window}"
        cache.add(key, 0, timeout=period + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=period + 5)
            count = 1
        self._local.wait = (window + 1) * period - now
        return count <= limit

    def wait(self) -> float | None:
        wait = getattr(self._local, "wait", None)
        return max(1.0, math.ceil(wait)) if wait is not None else None


class AddressThrottle(FixedWindowThrottle):
    """Requests without a token, per client address."""

    setting = "LPSE_API_RATE_ANON"
    scope = "address"

    def ident(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return client_ip(request) or "unknown"


class TokenThrottle(FixedWindowThrottle):
    """Requests with a token (a user's API token or a sensor's), per token."""

    setting = "LPSE_API_RATE_TOKEN"
    scope = "token"

    def ident(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        if auth is None:
            return None
        return f"{type(auth).__name__}:{auth.pk}"


def throttles() -> list[BaseThrottle]:
    return [AddressThrottle(), TokenThrottle()]
