"""Forms of the backup console (BAK-2)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MoveForm(forms.Form):
    to_location = forms.CharField(
        label=_("Lokasi baru"),
        max_length=200,
        help_text=_("Tempat penyimpanan media, terpisah dari ruang server (Pasal 14)."),
        error_messages={"required": _("Isi lokasi baru media.")},
    )
    moved_by_name = forms.CharField(
        label=_("Dipindahkan oleh"),
        max_length=150,
        error_messages={"required": _("Isi nama orang yang memindahkan media.")},
    )
    moved_at = forms.DateTimeField(
        label=_("Waktu pindah"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Isi waktu media dipindahkan."),
            "invalid": _("Waktu tidak valid."),
        },
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean_to_location(self):
        value = self.cleaned_data["to_location"].strip()
        if not value:
            raise forms.ValidationError(_("Isi lokasi baru media."))
        return value

    def clean_moved_at(self):
        value = self.cleaned_data["moved_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("Waktu pindah tidak boleh di masa depan."))
        return value
