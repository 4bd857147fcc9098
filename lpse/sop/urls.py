from django.urls import path

from . import views

app_name = "sop"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("layanan/", views.service_levels, name="service_levels"),
    path("layanan/berjalan/", views.service_levels_running, name="service_levels_running"),
    path("layanan/unduh.csv", views.service_levels_csv, name="service_levels_csv"),
    path("layanan/terlewat.csv", views.service_levels_missed_csv, name="service_levels_missed_csv"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/ubah/", views.procedure_edit, name="edit"),
    path("<str:code>/revisi/", views.procedure_revisions, name="revisions"),
]
