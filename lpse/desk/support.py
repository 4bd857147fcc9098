"""Support access grants (ERR-4, SAFER than Lampiran III 3.7 steps 1-2, 4).

The regulation has the vendor hand its User ID and password to the helpdesk.
Instead the vendor grants LPSE staff a time-limited, revocable access to its
own company pages, read-only unless it allows upload tries; every staff
action under the grant is a `SupportAction` the vendor sees, and an audit
event. No password is ever asked for, stored or shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import GrantScope


class SupportGrant(models.Model):
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="support_grants"
    )
    ticket = models.ForeignKey(
        "desk.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_grants",
        verbose_name=_("tiket"),
    )
    scope = models.CharField(
        _("cakupan"), max_length=10, choices=GrantScope.choices, default=GrantScope.READ
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("diberikan pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berakhir pada"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("akses dukungan")
        verbose_name_plural = _("akses dukungan")
        indexes = [models.Index(fields=["vendor", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.vendor} {self.get_scope_display()} s.d. {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and self.granted_at <= moment < self.expires_at

    @property
    def is_active(self) -> bool:
        return self.is_active_at(timezone.now())

    @property
    def allows_upload(self) -> bool:
        return self.scope == GrantScope.UPLOAD


class SupportAction(models.Model):
    """What a staff member did under a grant: shown to the vendor (ERR-4)."""

    grant = models.ForeignKey(SupportGrant, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    action = models.CharField(_("tindakan"), max_length=40)
    description = models.CharField(_("keterangan"), max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("tindakan akses dukungan")
        verbose_name_plural = _("tindakan akses dukungan")

    def __str__(self) -> str:
        return self.description
