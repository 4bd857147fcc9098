from django.contrib import admin
from django.urls import include, path, re_path

from lpse.api import views as api_views
from lpse.api.api import api

urlpatterns = [
    path("", include("lpse.core.urls")),
    # The user's JSON API tokens (GEN-3); its namespace is "apitokens", not the API's "api".
    path("akun/token-api/", include("lpse.api.urls")),
    path("akun/", include("lpse.accounts.urls")),
    path("sop/", include("lpse.sop.urls")),
    path("audit/", include("lpse.audit.urls")),
    path("penyedia/", include("lpse.vendors.urls")),
    path("tender/", include("lpse.tenders.urls")),
    path("penawaran/", include("lpse.bids.urls")),
    # SPSE-compatible public data for existing clients such as pyproc (BID-5).
    path("", include("lpse.tenders.spse_urls")),
    path("layanan/", include("lpse.desk.urls")),
    path("pelatihan/", include("lpse.training.urls")),
    path("cadangan/", include("lpse.backups.urls")),
    path("fasilitas/", include("lpse.facility.urls")),
    # Operations console (MON-1..MON-7); /healthz, /readyz and /metrics at the root.
    path("operasi/", include("lpse.ops.urls")),
    path("", include("lpse.ops.health_urls")),
    path("laporan/", include("lpse.reports.urls")),
    # JSON API with its OpenAPI document at /api/v1/openapi.json (GEN-3).
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_views.not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# Stored files (company documents, sealed bids) are never served from a public
# URL, not even with DEBUG: only through views that check access (SEC-3).
