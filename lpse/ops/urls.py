from django.urls import path

from . import settings_views, views

app_name = "ops"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("insiden/", views.incidents, name="incidents"),
    path("insiden/<int:pk>/", views.incident, name="incident"),
    path("grafik/", views.chart_page, name="charts"),
    path("grafik/data/", views.chart_json, name="chart_data"),
    path("ketersediaan/", views.uptime, name="uptime"),
    path("kapasitas/", views.capacity, name="capacity"),
    path("akses/", views.access, name="access"),
    path("pengaturan/", settings_views.settings_page, name="settings"),
    path("pengaturan/pemeriksaan/<int:pk>/", settings_views.probe_update, name="probe_update"),
    path("pengaturan/ambang/<int:pk>/", settings_views.threshold_update, name="threshold_update"),
    path("token/", settings_views.tokens, name="tokens"),
    path("token/<int:pk>/cabut/", settings_views.token_revoke, name="token_revoke"),
]
