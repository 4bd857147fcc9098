from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _text(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


def _date(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": _("Tanggal tidak valid.")},
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )


class EventFilterForm(forms.Form):
    action = _text(_("Tindakan"), _("Kode atau awalannya, misalnya auth. atau sop.revise"))
    actor = _text(_("Pelaku"), _("Nama pengguna"))
    target = _text(_("Objek"), _("Sebagian nama objek, atau app.model:id"))
    since = _date(_("Dari tanggal"))
    until = _date(_("Sampai tanggal"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
