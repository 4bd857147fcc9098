"""Forms of the console settings: values typed in display units (%, hours, days)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
