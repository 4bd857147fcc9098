"""Sealed bid URLs (BID-2, BID-4, ERR-1)."""

from django.urls import include, path

app_name = "bids"

urlpatterns = [
    path("", include("lpse.bids.failure_urls")),
]
