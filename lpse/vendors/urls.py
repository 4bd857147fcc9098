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
    path("verifikasi/<int:pk>/aktivasi-ulang/", views.desk_reissue, name="desk_reissue"),
    path("daftar-periksa/", views.checklist, name="checklist"),
    path("daftar-periksa/<int:pk>/", views.checklist, name="checklist_edit"),
]

# --- Company data (REG-7) and e-mail change (ERR-2): company/e-mail helper ---------------
from . import company_views, email_change_views  # noqa: E402

urlpatterns += [
    path("perusahaan/", company_views.company, name="company"),
    path("perusahaan/penyedia/<int:pk>/", company_views.company_of, name="company_of"),
    path("perusahaan/<slug:section>/tambah/", company_views.record_add, name="company_add"),
    path("perusahaan/<slug:section>/<int:pk>/", company_views.record_edit, name="company_edit"),
    path(
        "perusahaan/<slug:section>/<int:pk>/unggah/",
        company_views.record_upload,
        name="company_upload",
    ),
    path(
        "perusahaan/<slug:section>/<int:pk>/hapus/",
        company_views.record_delete,
        name="company_delete",
    ),
    path("dokumen/<int:pk>/unduh/", company_views.document_download, name="document_download"),
    path("unggahan/", company_views.upload_attempts, name="upload_attempts"),
    path("ubah-email/", email_change_views.email_change_request, name="email_change_request"),
    path("ubah-email/daftar/", email_change_views.email_changes, name="email_changes"),
    path(
        "ubah-email/<int:pk>/periksa/",
        email_change_views.email_change_review,
        name="email_change_review",
    ),
    path(
        "ubah-email/<int:pk>/terapkan/",
        email_change_views.email_change_apply,
        name="email_change_apply",
    ),
]
