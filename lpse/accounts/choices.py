from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the regulation (GLOSSARY.md). A user may hold several."""

    VENDOR = "vendor", _("Penyedia Barang/Jasa")
    VERIFIER = "verifier", _("Verifikator")
    HELPDESK = "helpdesk", _("Helpdesk")
    TRAINER = "trainer", _("Pelatih")
    SYSADMIN = "sysadmin", _("Administrator Sistem")
    APPADMIN = "appadmin", _("Administrator Aplikasi")
    AGENCY_ADMIN = "agency_admin", _("Admin Agency")
    COMMITTEE = "committee", _("Panitia Pengadaan/Pokja")
    PPK = "ppk", _("Pejabat Pembuat Komitmen (PPK)")
    HEAD = "head", _("Kepala LPSE")
    LKPP_MONITOR = "lkpp_monitor", _("Pemantau LKPP")


#: Every role but the vendor's is staff: TOTP two-factor and short sessions (SEC-2).
STAFF_ROLES = frozenset(Role) - {Role.VENDOR}
#: Who may manage staff accounts and their roles.
STAFF_MANAGER_ROLES = frozenset({Role.HEAD, Role.APPADMIN})
