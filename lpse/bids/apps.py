from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BidsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lpse.bids"
    verbose_name = _("Penawaran tersegel")
