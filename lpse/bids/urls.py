"""Sealed bid URLs under /penawaran/ (BID-2, BID-4). Tender codes are digits only."""

from django.conf import settings
from django.urls import include, path, re_path

from . import bench_views, committee_views, tus_views, vendor_views

app_name = "bids"

CODE = r"(?P<code>\d{1,20})"

urlpatterns = [
    path("", vendor_views.my_bids, name="my_bids"),
    path("ca.crt", vendor_views.ca_certificate, name="ca_certificate"),
    path("token/", vendor_views.tokens, name="tokens"),
    path("tanda-terima/<int:pk>/", vendor_views.receipt, name="receipt"),
    path("tanda-terima/<int:pk>/pdf/", vendor_views.receipt_pdf, name="receipt_pdf"),
    path("tanda-terima/<int:pk>/json/", vendor_views.receipt_json, name="receipt_json"),
    path("tanda-terima/<int:pk>/p7s/", vendor_views.receipt_signature, name="receipt_p7s"),
    path("kelola/", committee_views.committee_list, name="committee_list"),
    re_path(rf"^kelola/{CODE}/$", committee_views.manage, name="manage"),
    re_path(rf"^kelola/{CODE}/kunci/$", committee_views.key_create, name="key_create"),
    re_path(rf"^kelola/{CODE}/buka/$", committee_views.open_view, name="open"),
    re_path(
        rf"^kelola/{CODE}/hasil/(?P<pk>\d+)/unduh/$",
        committee_views.opened_download,
        name="opened_download",
    ),
    re_path(rf"^{CODE}/$", vendor_views.bid_page, name="bid_page"),
    re_path(rf"^{CODE}/unggah/$", vendor_views.upload, name="upload"),
    re_path(rf"^{CODE}/sertifikat\.crt$", vendor_views.tender_certificate, name="certificate"),
    re_path(rf"^{CODE}/tus/$", tus_views.create, name="tus_create"),
    re_path(rf"^{CODE}/tus/(?P<upload_id>[0-9a-f-]{{36}})/$", tus_views.upload, name="tus_upload"),
    # Bid files that cannot be opened (ERR-1, SOP 3.1).
    path("", include("lpse.bids.failure_urls")),
]

if settings.LPSE_BENCH_SINK:  # bench/bid_rush.py only; never enabled in production
    urlpatterns.append(path("_bench/sink/", bench_views.sink, name="bench_sink"))
