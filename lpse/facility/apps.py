from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilityConfig(AppConfig):
    name = "lpse.facility"
    label = "facility"
    verbose_name = _("Fasilitas dan pemeliharaan")
