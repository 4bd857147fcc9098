"""Forms of registration, the desk and activation; Indonesian messages next to each field."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import PeriodFilterForm, search_field, status_field

from .choices import LegalForm, VendorStatus, VerificationOutcome
from .models import BusinessField, VerificationChecklistItem
from .selectors import ALL_STATUSES

USERNAME = re.compile(r"^[a-z0-9._]{4,30}$")


def _digits(value: str) -> str:
    return re.sub(r"[.\-\s]", "", value or "")


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail perusahaan"),
        max_length=254,
        error_messages={
            "required": _("E-mail perusahaan wajib diisi."),
            "invalid": _("Alamat e-mail tidak valid, contoh: admin@perusahaan.co.id."),
        },
    )


class BusinessFieldChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} - {obj.name}" if obj.parent_id else obj.name


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nama perusahaan"), max_length=200)
    legal_form = forms.ChoiceField(label=_("Bentuk usaha"), choices=LegalForm.choices)
    tax_id = forms.CharField(
        label=_("NPWP perusahaan"),
        max_length=25,
        help_text=_("15 atau 16 digit; titik dan tanda hubung boleh."),
    )
    business_id = forms.CharField(
        label=_("NIB (Nomor Induk Berusaha)"), max_length=20, help_text=_("13 digit.")
    )
    address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 3}))
    city = forms.CharField(label=_("Kabupaten/kota"), max_length=100)
    phone = forms.CharField(label=_("Telepon"), max_length=30)
    director_name = forms.CharField(label=_("Nama direktur/pimpinan"), max_length=200)
    director_id_number = forms.CharField(
        label=_("NIK direktur/pimpinan"), max_length=20, help_text=_("16 digit sesuai KTP.")
    )
    business_fields = BusinessFieldChoice(
        label=_("Bidang usaha"),
        queryset=BusinessField.objects.filter(is_active=True, parent__isnull=False).select_related(
            "parent"
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu bidang usaha.")},
    )
    username = forms.CharField(
        label=_("User ID yang diinginkan"),
        max_length=30,
        help_text=_("4-30 karakter: huruf kecil, angka, titik atau garis bawah."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages.setdefault("required", _("Kolom ini wajib diisi."))
            field.error_messages["required"] = field.error_messages["required"]
            if name != "business_fields":
                css = "form-select" if name == "legal_form" else "form-control"
                field.widget.attrs.setdefault("class", css)
        self.fields["name"].error_messages["required"] = _("Nama perusahaan wajib diisi.")

    def clean_tax_id(self) -> str:
        value = _digits(self.cleaned_data["tax_id"])
        if not value.isdigit() or len(value) not in (15, 16):
            raise forms.ValidationError(_("NPWP harus 15 atau 16 digit angka."))
        return value

    def clean_business_id(self) -> str:
        value = _digits(self.cleaned_data["business_id"])
        if not value.isdigit() or len(value) != 13:
            raise forms.ValidationError(_("NIB harus 13 digit angka."))
        return value

    def clean_director_id_number(self) -> str:
        value = _digits(self.cleaned_data["director_id_number"])
        if not value.isdigit() or len(value) != 16:
            raise forms.ValidationError(_("NIK harus 16 digit angka sesuai KTP."))
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not re.fullmatch(r"\+?[0-9 ()\-]{6,30}", value):
            raise forms.ValidationError(_("Nomor telepon hanya berisi angka, spasi, + ( ) -."))
        return value

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        if not USERNAME.match(value):
            raise forms.ValidationError(
                _(
                    "User ID harus 4-30 karakter dan hanya berisi huruf kecil, angka, titik"
                    " atau garis bawah."
                )
            )
        return value


class ActivationForm(forms.Form):
    username = forms.CharField(label=_("User ID"), max_length=150)
    code = forms.CharField(
        label=_("Kode aktivasi"), max_length=20, help_text=_("10 karakter dari e-mail atau slip.")
    )
    password1 = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Ulangi kata sandi baru"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
            field.error_messages["required"] = _("Kolom ini wajib diisi.")
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class VerificationForm(forms.Form):
    """The desk checklist: one seen-checkbox and note per active item, then the outcome."""

    originals_seen = forms.BooleanField(
        label=_("Dokumen asli sudah diperlihatkan dan dicocokkan"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    outcome = forms.ChoiceField(
        label=_("Hasil verifikasi"),
        choices=VerificationOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih hasil verifikasi.")},
    )
    reasons = forms.CharField(
        label=_("Alasan / kekurangan (dikirim ke penyedia)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, items: list[VerificationChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"seen_{item.pk}"] = forms.BooleanField(label=item.label, required=False)
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def rows(self):
        for item in self.items:
            yield item, self[f"seen_{item.pk}"], self[f"note_{item.pk}"]


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = VerificationChecklistItem
        fields = ["code", "label", "description", "required", "order", "active"]
        widgets = {
            "code": forms.TextInput(attrs={"class": "form-control"}),
            "label": forms.TextInput(attrs={"class": "form-control"}),
            "description": forms.TextInput(attrs={"class": "form-control"}),
            "order": forms.NumberInput(attrs={"class": "form-control"}),
        }


# --- RPT-1: the desk list's filters (page and export share them) --------------------------


class VendorFilterForm(PeriodFilterForm):
    """Search, status (waiting for verification unless chosen) and registration period."""

    q = search_field(_("Nama perusahaan, NPWP, User ID atau nomor pendaftaran"))
    status = status_field(
        [
            ("", _("Menunggu verifikasi")),
            *[
                (value, label)
                for value, label in VendorStatus.choices
                if value != VendorStatus.PENDING_VERIFICATION
            ],
            (ALL_STATUSES, _("Semua status")),
        ]
    )
    field_order = ["q", "status", "dari", "sampai"]
    period_labels = (_("Didaftarkan dari"), _("Didaftarkan sampai"))
