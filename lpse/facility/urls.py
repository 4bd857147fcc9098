"""Facility URLs under /fasilitas/ (MON-5, MNT-1, MNT-2, INF-1..INF-3)."""

from django.urls import path

from . import (
    checklist_views,
    env_views,
    reference_views,
    views,
    visit_views,
    window_views,
)

app_name = "facility"
urlpatterns = [
    path("", views.index, name="index"),
    path("pemeliharaan/", window_views.window_list, name="window_list"),
    path("pemeliharaan/<int:pk>/akhiri/", window_views.window_close, name="window_close"),
    path("checklist/", checklist_views.checklist, name="checklist"),
    path("checklist/baru/", checklist_views.cycle_new, name="cycle_new"),
    path("checklist/butir/<int:pk>/", checklist_views.item_tick, name="item_tick"),
    path("inspeksi/", checklist_views.inspections, name="inspections"),
    path("inspeksi/<str:code>/", checklist_views.inspection_item, name="inspection_item"),
    path("kunjungan/", visit_views.visit_list, name="visits"),
    path("kunjungan/ajukan/", visit_views.visit_new, name="visit_new"),
    path("kunjungan/laporan/", visit_views.visit_report, name="visit_report"),
    path("kunjungan/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("kunjungan/<int:pk>/<slug:action>/", visit_views.visit_action, name="visit_action"),
    path("lingkungan/", env_views.environment, name="environment"),
    path("lingkungan/data/", env_views.environment_data, name="environment_data"),
    path("sensor/", env_views.sensor_push, name="sensor_push"),
    path("sensor/kelola/", env_views.sensors, name="sensors"),
    path("sensor/kelola/<int:pk>/cabut/", env_views.sensor_revoke, name="sensor_revoke"),
    path("referensi/<slug:kind>/", reference_views.reference, name="reference"),
    path("referensi/<slug:kind>/<int:pk>/", reference_views.reference, name="reference_edit"),
    path("pengguna/", reference_views.users, name="users"),
    path("pengguna/<int:pk>/aktif/", reference_views.user_active, name="user_active"),
    path("berita/", reference_views.news_list, name="news"),
]
