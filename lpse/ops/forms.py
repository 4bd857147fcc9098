"""Forms of the console settings: values typed in display units (%, hours, days)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import PeriodFilterForm, search_field, status_field

from .choices import IncidentStatus, Level
from .config_services import MAX_INTERVAL, MIN_INTERVAL


class ProbeConfigForm(forms.Form):
    enabled = forms.BooleanField(label=_("Aktif"), required=False)
    interval_seconds = forms.IntegerField(
        label=_("Selang (detik)"), min_value=MIN_INTERVAL, max_value=MAX_INTERVAL
    )


class ThresholdForm(forms.Form):
    warning = forms.FloatField(label=_("Batas peringatan"), required=False)
    critical = forms.FloatField(label=_("Batas kritis"), required=False)
    margin = forms.FloatField(label=_("Margin pemulihan"), min_value=0, initial=0)
    enabled = forms.BooleanField(label=_("Aktif"), required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Catatan penanganan"), max_length=300)


# --- RPT-1: the incident list's filters (page and export share them) ---------------------


class IncidentFilterForm(PeriodFilterForm):
    """Status, peak level, a word of the title and the period the incident opened in."""

    q = search_field(_("Judul insiden"))
    status = status_field([("", _("Semua status")), *IncidentStatus.choices])
    tingkat = forms.ChoiceField(
        label=_("Tingkat tertinggi"),
        required=False,
        choices=[
            ("", _("Semua tingkat")),
            (Level.WARNING, Level.WARNING.label),
            (Level.CRITICAL, Level.CRITICAL.label),
        ],
        error_messages={"invalid_choice": _("Tingkat %(value)s tidak ada. Pilih dari daftar.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    field_order = ["q", "status", "tingkat", "dari", "sampai"]
    period_labels = (_("Dibuka dari"), _("Dibuka sampai"))
