"""Health endpoints answer before host validation and the HTTPS redirect.

A load balancer checks each application server directly: by its IP address (not an
allowed host name, which Django would refuse with 400) and often over plain HTTP
(which SECURE_SSL_REDIRECT would answer with a redirect). So `/healthz` and `/readyz`
are served here, first in the chain; they reveal nothing but "ok"/"fail".
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import health

PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": health.healthz,
    "/readyz": health.readyz,
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = PATHS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
