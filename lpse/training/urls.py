from django.urls import path

from . import calendar_views, views

app_name = "training"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("ajukan/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/surat-permohonan/", views.request_letter_download, name="request_letter"),
    path("<int:pk>/konfirmasi/", views.request_confirm, name="confirm"),
    path("<int:pk>/jadwal/", views.request_schedule, name="schedule"),
    path("<int:pk>/surat/<slug:kind>/", views.letter_issue, name="letter_issue"),
    path("<int:pk>/hasil/", views.request_outcome, name="outcome"),
    path("<int:pk>/batal/", views.request_cancel, name="cancel"),
    path("surat/<int:pk>/kirim/", views.letter_send, name="letter_send"),
    path("surat/<int:pk>/unduh/", views.letter_download, name="letter_download"),
    path("kalender/", calendar_views.month_calendar, name="calendar"),
    path("kalender-saya/", calendar_views.my_feed, name="my_feed"),
    path("ics/<str:token>.ics", calendar_views.ics_feed, name="ics"),
    path("hari-khusus/", calendar_views.day_exceptions, name="exceptions"),
    path("sarana/", calendar_views.resources, name="resources"),
    path("sarana/<int:pk>/aktif/", calendar_views.resource_toggle, name="resource_toggle"),
]
