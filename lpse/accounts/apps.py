from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lpse.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from django.contrib import admin

        # The Django admin is for superusers only, whatever `is_staff` says:
        # staff work happens on the application's own pages (SEC-1).
        admin.site.has_permission = _superuser_only


def _superuser_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)
