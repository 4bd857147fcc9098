from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lpse.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from django.contrib.auth import signals

        from . import receivers

        signals.user_logged_in.connect(receivers.on_login, dispatch_uid="audit.login")
        signals.user_logged_out.connect(receivers.on_logout, dispatch_uid="audit.logout")
        signals.user_login_failed.connect(
            receivers.on_login_failed, dispatch_uid="audit.login_failed"
        )
