"""URLs of the head's monthly summary (RPT-1, SOP-3)."""

from django.urls import path, re_path

from . import summary_views

urlpatterns = [
    path("bulanan/", summary_views.monthly, name="monthly"),
    re_path(r"^bulanan/(?P<month>[^/]{1,20})\.pdf$", summary_views.monthly_pdf, name="monthly_pdf"),
]
