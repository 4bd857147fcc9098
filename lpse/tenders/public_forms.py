"""Inputs of the public tender list and the OCDS package download (BID-5)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lpse.accounts.models import WorkUnit

from .choices import Category, Method, StageKind
from .public_selectors import STAGE_CANCELLED, STAGE_CLOSED, PublicFilter


def stage_choices():
    return [
        ("", _("Semua tahap")),
        *StageKind.choices,
        (STAGE_CLOSED, _("Tender sudah selesai")),
        (STAGE_CANCELLED, _("Tender batal")),
    ]


class PublicFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        help_text=_("Kode, nama paket atau satuan kerja."),
    )
    work_unit = forms.ModelChoiceField(
        label=_("Satuan kerja"),
        queryset=WorkUnit.objects.order_by("name"),
        required=False,
        empty_label=_("Semua satuan kerja"),
    )
    category = forms.ChoiceField(label=_("Jenis pengadaan"), required=False)
    method = forms.ChoiceField(label=_("Metode"), required=False)
    stage = forms.ChoiceField(label=_("Tahap"), required=False)
    year = forms.IntegerField(
        label=_("Tahun anggaran"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Tahun anggaran harus berupa angka, misalnya 2025."),
            "min_value": _("Tahun anggaran paling awal %(limit_value)s."),
            "max_value": _("Tahun anggaran paling akhir %(limit_value)s."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain list: the template's loop then costs one query, not a count plus a query.
        self.fields["work_unit"].choices = [
            ("", _("Semua satuan kerja")),
            *WorkUnit.objects.order_by("name").values_list("pk", "name"),
        ]
        self.fields["category"].choices = [("", _("Semua jenis")), *Category.choices]
        self.fields["method"].choices = [("", _("Semua metode")), *Method.choices]
        self.fields["stage"].choices = stage_choices()
        for name in ("category", "method", "stage"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Pilihan %(value)s tidak ada. Pilih salah satu dari daftar."
            )
        self.fields["work_unit"].error_messages["invalid_choice"] = _(
            "Satuan kerja itu tidak ada. Pilih salah satu dari daftar."
        )

    def criteria(self) -> PublicFilter:
        """The filter to apply; an invalid form filters nothing (the errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return PublicFilter()
        data = self.cleaned_data
        return PublicFilter(
            q=data["q"].strip(),
            work_unit_id=data["work_unit"].pk if data["work_unit"] else None,
            category=data["category"],
            method=data["method"],
            stage=data["stage"],
            year=data["year"],
        )


class PeriodForm(forms.Form):
    """``?dari=YYYY-MM-DD&sampai=YYYY-MM-DD`` of the OCDS package download."""

    dari = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Tanggal awal (dari) wajib diisi, format TTTT-BB-HH."),
            "invalid": _("Tanggal awal (dari) harus berformat TTTT-BB-HH, misalnya 2025-01-31."),
        },
    )
    sampai = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Tanggal akhir (sampai) wajib diisi, format TTTT-BB-HH."),
            "invalid": _("Tanggal akhir (sampai) harus berformat TTTT-BB-HH, misalnya 2025-12-31."),
        },
    )

    def clean(self):
        data = super().clean()
        first: date | None = data.get("dari")
        last: date | None = data.get("sampai")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
            days = (last - first).days + 1
            if days > settings.LPSE_OCDS_MAX_DAYS:
                raise forms.ValidationError(
                    _("Periode paling panjang %(days)s hari; periode ini %(asked)s hari.")
                    % {"days": settings.LPSE_OCDS_MAX_DAYS, "asked": days}
                )
        return data
