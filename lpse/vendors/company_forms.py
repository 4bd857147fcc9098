"""Forms of the company data and the e-mail change (REG-7, ERR-2).

No vendor form has an e-mail field except the e-mail change request itself:
a vendor cannot change its company e-mail any other way (ERR-2).
"""

from __future__ import annotations

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import PeriodFilterForm, search_field, status_field

from .company import EmailChangeStatus
from .company_selectors import section_spec

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, red outline on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def record_form_class(section: str) -> type[forms.ModelForm]:
    spec = section_spec(section)
    widgets = {
        name: DATE_WIDGET
        for name in spec.fields
        if spec.model._meta.get_field(name).get_internal_type() == "DateField"
    }
    return modelform_factory(spec.model, form=_RecordForm, fields=spec.fields, widgets=widgets)


class _RecordForm(BootstrapMixin, forms.ModelForm):
    pass


class UploadForm(BootstrapMixin, forms.Form):
    document = forms.FileField(
        label=_("Berkas dokumen"),
        help_text=_("PDF, JPEG atau PNG."),
        allow_empty_file=True,
    )


class EmailChangeRequestForm(BootstrapMixin, forms.Form):
    new_email = forms.EmailField(label=_("Alamat e-mail baru"), max_length=254)
    letter = forms.FileField(
        label=_("Surat pernyataan perubahan e-mail (ditandatangani)"),
        help_text=_("Hasil pindai surat yang ditandatangani direktur: PDF, JPEG atau PNG."),
        allow_empty_file=True,
    )


class EmailChangeReviewForm(BootstrapMixin, forms.Form):
    deed_seen = forms.BooleanField(
        label=_("Akta perusahaan (pendirian/perubahan) asli sudah diperlihatkan"), required=False
    )
    director_ktp_seen = forms.BooleanField(
        label=_("KTP asli direktur sudah diperlihatkan"), required=False
    )
    note = forms.CharField(
        label=_("Catatan / alasan penolakan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


# --- RPT-1: the e-mail change list's filters (page and export share them) ----------------


class EmailChangeFilterForm(PeriodFilterForm):
    """Status, a company name or e-mail address, and the period of the request."""

    q = search_field(_("Nama perusahaan atau alamat e-mail"))
    status = status_field([("", _("Semua status")), *EmailChangeStatus.choices])
    field_order = ["q", "status", "dari", "sampai"]
    period_labels = (_("Diajukan dari"), _("Diajukan sampai"))
