from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("formulir/<slug:kind>.pdf", views.form_pdf, name="form_pdf"),
    path("konfirmasi/<str:token>/", views.confirm, name="confirm"),
    path("status/", views.status, name="status"),
    path("status/<str:token>/", views.status_link, name="status_link"),
    path("aktivasi/", views.activate, name="activate"),
    path("verifikasi/", views.desk, name="desk"),
    path("verifikasi/<int:pk>/", views.desk_verify, name="desk_verify"),
    path("verifikasi/hasil/<int:pk>/", views.desk_result, name="desk_result"),
    path("verifikasi/slip/", views.desk_slip, name="desk_slip"),
    path("daftar-periksa/", views.checklist, name="checklist"),
    path("daftar-periksa/<int:pk>/", views.checklist, name="checklist_edit"),
]
