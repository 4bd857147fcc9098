"""The form of the token page: name, scopes the user's roles allow, optional expiry (GEN-3)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Scope
from .selectors import allowed_scopes

#: The longest a token may live when an expiry is chosen.
MAX_DAYS = 366


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya lpse-seal di laptop kantor."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih sedikitnya satu cakupan.")},
    )
    expires_on = forms.DateField(
        label=_("Berlaku sampai (boleh kosong)"),
        required=False,
        help_text=_("Token berhenti berlaku pada akhir hari ini (WIB). Kosong: sampai dicabut."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        error_messages={"invalid": _("Tanggal tidak valid.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Scope.choices)
        self.fields["scopes"].choices = [
            (scope, f"{scope}: {labels[scope]}") for scope in allowed_scopes(user)
        ]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Tanggal berlaku tidak boleh di masa lalu."))
        if day > today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(
                _("Paling lama %(days)d hari dari hari ini.") % {"days": MAX_DAYS}
            )
        return day

    def expires_at(self) -> datetime | None:
        """The end of the chosen day in the local time zone (WIB), or None."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
