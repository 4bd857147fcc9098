"""URLs of the failed-opening procedure (ERR-1), included by the bids urls (namespace bids)."""

from django.urls import path

from . import failure_views as views

urlpatterns = [
    path(
        "tender/<str:code>/gagal-dibuka/baru/",
        views.failed_opening_new,
        name="failed_opening_new",
    ),
    path("gagal-dibuka/", views.failed_openings, name="failed_openings"),
    path("gagal-dibuka/<int:pk>/", views.failed_opening_detail, name="failed_opening_detail"),
    path("gagal-dibuka/<int:pk>/mulai/", views.failed_opening_start, name="failed_opening_start"),
    path(
        "gagal-dibuka/<int:pk>/berkas/<int:file_pk>/percobaan/",
        views.failed_opening_attempt,
        name="failed_opening_attempt",
    ),
    path(
        "gagal-dibuka/<int:pk>/berkas/<int:file_pk>/hasil/",
        views.failed_opening_plain,
        name="failed_opening_plain",
    ),
    path(
        "gagal-dibuka/<int:pk>/selesai/", views.failed_opening_finish, name="failed_opening_finish"
    ),
    path(
        "gagal-dibuka/<int:pk>/berita-acara/",
        views.failed_opening_report,
        name="failed_opening_report",
    ),
    path(
        "gagal-dibuka/<int:pk>/berita-acara.pdf",
        views.witness_report_download,
        name="witness_report_download",
    ),
    path(
        "gagal-dibuka/<int:pk>/lkpp/", views.failed_opening_escalate, name="failed_opening_escalate"
    ),
    path(
        "gagal-dibuka/<int:pk>/jawaban-lkpp/",
        views.failed_opening_answer,
        name="failed_opening_answer",
    ),
]
