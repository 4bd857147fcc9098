from django.urls import path

from . import views

app_name = "sop"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("layanan/", views.service_levels, name="service_levels"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/ubah/", views.procedure_edit, name="edit"),
    path("<str:code>/revisi/", views.procedure_revisions, name="revisions"),
]
