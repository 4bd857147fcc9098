"""Forms of the facility app; texts in Indonesian (GEN-1)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lpse.accounts.models import WorkUnit
from lpse.vendors.models import BusinessField

from .choices import IdentityType, Quantity
from .models import ItemCategory, News, PriceIndexEntry

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        error_messages={"required": _("Wajib diisi."), "invalid": _("Tanggal/jam tidak valid.")},
    )


class Styled:
    """Bootstrap classes on every widget; the invalid outline next to each error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            field.error_messages.setdefault("required", _("Wajib diisi."))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


# --- MON-5 -----------------------------------------------------------------------------


class WindowForm(Styled, forms.Form):
    starts_at = _when(_("Mulai (WIB)"))
    ends_at = _when(_("Selesai (WIB)"))
    services = forms.CharField(
        label=_("Layanan yang terdampak"),
        max_length=300,
        help_text=_("Misalnya: seluruh aplikasi SPSE, e-mail, unggah dokumen."),
    )
    message = forms.CharField(label=_("Pesan pengumuman"), widget=forms.Textarea(attrs={"rows": 3}))
    read_only = forms.BooleanField(
        label=_("Situs baca-saja selama pemeliharaan (perubahan data ditolak)"), required=False
    )
    banner_hours = forms.IntegerField(
        label=_("Tampilkan pengumuman sejak ... jam sebelum mulai"),
        min_value=0,
        max_value=24 * 30,
        initial=settings.LPSE_MAINTENANCE_BANNER_HOURS,
    )
    confirm_overlap = forms.BooleanField(
        label=_("Saya sudah memeriksa tender yang batas upload penawarannya terdampak"),
        required=False,
    )


class CloseWindowForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500)


# --- MNT-1 / INF-2 -------------------------------------------------------------------------


class TickForm(Styled, forms.Form):
    findings = forms.CharField(
        label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    follow_up = forms.CharField(
        label=_("Tindak lanjut"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class InspectionForm(TickForm):
    condition_ok = forms.TypedChoiceField(
        label=_("Kondisi"),
        choices=[("1", _("Sesuai spesifikasi")), ("0", _("Tidak sesuai / ada masalah"))],
        coerce=lambda value: value == "1",
    )


# --- INF-1 ---------------------------------------------------------------------------------


class VisitForm(Styled, forms.Form):
    for_self = forms.BooleanField(
        label=_("Saya sendiri yang akan masuk ruang server"), required=False
    )
    visitor_name = forms.CharField(label=_("Nama pengunjung"), max_length=150, required=False)
    identity_type = forms.ChoiceField(label=_("Jenis identitas"), choices=IdentityType.choices)
    identity_number = forms.CharField(label=_("Nomor identitas"), max_length=50)
    organisation = forms.CharField(label=_("Instansi/perusahaan"), max_length=200)
    purpose = forms.CharField(label=_("Keperluan"), widget=forms.Textarea(attrs={"rows": 2}))
    planned_start = _when(_("Rencana masuk (WIB)"))
    planned_end = _when(_("Rencana selesai (WIB)"))

    def clean(self):
        data = super().clean()
        if not data.get("for_self") and not (data.get("visitor_name") or "").strip():
            self.add_error("visitor_name", _("Tuliskan nama pengunjung."))
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("Rencana selesai harus sesudah rencana masuk."))
        return data


class DecisionForm(Styled, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("approve", _("Setujui")), ("refuse", _("Tolak"))]
    )
    reason = forms.CharField(
        label=_("Alasan / catatan"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tuliskan alasan penolakan."))
        return data


class PeriodForm(Styled, forms.Form):
    start = forms.DateField(label=_("Dari tanggal"), input_formats=DATE_FORMATS, widget=DateInput())
    end = forms.DateField(label=_("Sampai tanggal"), input_formats=DATE_FORMATS, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


# --- INF-3 ---------------------------------------------------------------------------------


class ReadingForm(Styled, forms.Form):
    place = forms.CharField(
        label=_("Lokasi"),
        max_length=80,
        initial=_("Ruang server"),
        help_text=_("Misalnya: Ruang server, rak A."),
    )
    quantity = forms.ChoiceField(label=_("Besaran"), choices=Quantity.choices)
    value = forms.FloatField(
        label=_("Nilai"),
        help_text=_(
            "Untuk air, api/asap dan pintu: 1 = terdeteksi/terbuka, 0 = normal. "
            "Catu daya: 1 = ada, 0 = padam."
        ),
    )
    at = _when(_("Waktu pembacaan (WIB)"))


class SensorForm(Styled, forms.Form):
    name = forms.SlugField(
        label=_("Nama sensor"),
        max_length=80,
        help_text=_("Huruf kecil, angka dan tanda hubung, misalnya ruang-server-1."),
    )
    location = forms.CharField(label=_("Lokasi"), max_length=200, required=False)


# --- MNT-2 ---------------------------------------------------------------------------------


class NewsForm(Styled, forms.ModelForm):
    published_at = _when(_("Terbit pada (WIB)"))

    class Meta:
        model = News
        fields = ["title", "body", "published_at", "is_published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class PriceForm(Styled, forms.ModelForm):
    period = forms.DateField(
        label=_("Periode (tanggal mana pun di bulan itu)"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )

    class Meta:
        model = PriceIndexEntry
        fields = ["item", "category", "unit", "price", "region", "period", "source", "is_active"]

    def clean_period(self):
        return self.cleaned_data["period"].replace(day=1)


class CategoryForm(Styled, forms.ModelForm):
    class Meta:
        model = ItemCategory
        fields = ["code", "name", "parent", "is_active"]


class BusinessFieldForm(Styled, forms.ModelForm):
    class Meta:
        model = BusinessField
        fields = ["code", "name", "parent", "order", "is_active"]


class WorkUnitForm(Styled, forms.ModelForm):
    class Meta:
        model = WorkUnit
        fields = ["code", "name", "short_name", "is_active"]
