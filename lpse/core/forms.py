from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import closure_problem


class ClosureForm(forms.Form):
    date = forms.DateField(
        label=_("Tanggal"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Tanggal wajib diisi."),
            "invalid": _("Tanggal tidak valid."),
        },
    )
    name = forms.CharField(
        label=_("Keterangan"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Misalnya: HUT Kabupaten Tangerang, pindah kantor."),
        error_messages={"required": _("Keterangan wajib diisi.")},
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        problem = closure_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # Bootstrap's red outline next to the message
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
