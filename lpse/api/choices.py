"""Scopes of the per-user API tokens (GEN-3, SEC-1).

A token carries only the scopes its owner chose when issuing it, and only
scopes the owner's roles allow (`SCOPE_ROLES`). Each endpoint names the one
scope it needs; the public data (tenders, schedules, OCDS) needs no token.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lpse.accounts.choices import Role


class Scope(models.TextChoices):
    VENDOR_READ = "vendor:read", _("Membaca status pendaftaran perusahaan sendiri")
    TICKETS_READ = "tickets:read", _("Membaca tiket layanan sendiri")
    TICKETS_WRITE = "tickets:write", _("Membuat tiket layanan dan membalasnya")
    BIDS_READ = "bids:read", _("Membaca tanda terima penawaran sendiri")
    BIDS_WRITE = "bids:write", _("Mengunggah dokumen penawaran tersegel")
    MONITORING_READ = "monitoring:read", _("Membaca status pemantauan sistem")


#: Which roles may put a scope on their token. A superuser may take any scope.
#: Tickets are open to every logged-in user (vendors and work-unit staff ask the
#: helpdesk alike), so those scopes have no role restriction (None).
SCOPE_ROLES: dict[str, frozenset[str] | None] = {
    Scope.VENDOR_READ: frozenset({Role.VENDOR}),
    Scope.TICKETS_READ: None,
    Scope.TICKETS_WRITE: None,
    Scope.BIDS_READ: frozenset({Role.VENDOR}),
    Scope.BIDS_WRITE: frozenset({Role.VENDOR}),
    Scope.MONITORING_READ: frozenset({Role.SYSADMIN, Role.APPADMIN, Role.HEAD, Role.LKPP_MONITOR}),
}
