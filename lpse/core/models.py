from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Closure(models.Model):
    """A day the LPSE is closed although it is a working day nationally (SOP-4).

    Set by the head of the LPSE (e.g. a regency holiday, an office move);
    `lpse.core.calendar` treats it like a national holiday.
    """

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur lokal")
        verbose_name_plural = _("hari libur lokal")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class NumberSeries(models.Model):
    """The last number given in one series of documents in one year (TRN-3).

    `lpse.core.numbering.next_number` locks this row (`select_for_update`)
    inside the caller's transaction, so two documents generated at the same
    moment never get the same number; numbering restarts at 1 each year.
    """

    key = models.CharField(_("seri"), max_length=40)
    year = models.PositiveIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("seri nomor dokumen")
        verbose_name_plural = _("seri nomor dokumen")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="core_number_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.last}"
