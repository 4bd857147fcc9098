from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "kata-sandi/lupa/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("kata-sandi/ubah/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/ubah/selesai/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("dua-langkah/pasang/", views.otp_setup, name="otp_setup"),
    path("dua-langkah/verifikasi/", views.otp_verify, name="otp_verify"),
    path("staf/", views.staff_list, name="staff_list"),
    path("staf/baru/", views.staff_create, name="staff_create"),
    path("staf/<int:pk>/", views.staff_edit, name="staff_edit"),
]
