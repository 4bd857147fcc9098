"""Forms of the SOP pages: the head's edit (SOP-1) and the service-level period (SOP-3)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .periods import Period, PeriodError, PeriodKind, parse_period
from .standards import parse_time_standard

EXECUTOR_COLUMNS = 3
_CODE = re.compile(r"^\d+\.\d+$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


def _input() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ProcedureForm(forms.Form):
    """The header of a procedure, as the appendix prints it, plus the revision note."""

    title = forms.CharField(label=_("Judul"), widget=_textarea(2))
    activity = forms.CharField(label=_("Kegiatan"), required=False, widget=_textarea(2))
    flow_title = forms.CharField(label=_("Judul alur proses"), required=False, widget=_textarea(2))
    chapter_title = forms.CharField(label=_("Judul bab"), max_length=300, widget=_input())
    issuer = forms.CharField(label=_("Penerbit"), max_length=300, required=False, widget=_input())
    number = forms.CharField(label=_("Nomor SOP"), max_length=100, required=False, widget=_input())
    created_on = forms.DateField(label=_("Tanggal pembuatan"), required=False, widget=_date())
    revised_on = forms.DateField(label=_("Tanggal revisi"), required=False, widget=_date())
    effective_on = forms.DateField(label=_("Tanggal efektif"), required=False, widget=_date())
    approved_by = forms.CharField(
        label=_("Disahkan oleh"), max_length=300, required=False, widget=_input()
    )
    regulation = forms.CharField(
        label=_("Peraturan"), max_length=300, required=False, widget=_input()
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum"),
        required=False,
        widget=_textarea(3),
        help_text=_("Satu dasar hukum per baris."),
    )
    related_text = forms.CharField(label=_("Keterkaitan"), required=False, widget=_textarea(2))
    related_codes = forms.CharField(
        label=_("Kode SOP terkait"),
        required=False,
        widget=_input(),
        help_text=_("Dipisahkan koma, misalnya: 2.1, 2.3"),
    )
    warnings = forms.CharField(
        label=_("Peringatan"),
        required=False,
        widget=_textarea(3),
        help_text=_("Satu peringatan per baris."),
    )
    executor_qualification = forms.CharField(
        label=_("Kualifikasi pelaksana"), required=False, widget=_textarea(2)
    )
    equipment = forms.CharField(
        label=_("Peralatan/perlengkapan"), required=False, widget=_textarea(2)
    )
    recording_duty = forms.CharField(
        label=_("Pencatatan dan pendataan"), required=False, widget=_textarea(2)
    )
    period = forms.CharField(
        label=_("Waktu efektif"), max_length=100, required=False, widget=_input()
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=_textarea(3))
    revision_note = forms.CharField(
        label=_("Catatan revisi"),
        widget=_textarea(2),
        help_text=_("Wajib: apa yang diubah dan mengapa. Disimpan bersama revisi."),
        error_messages={"required": _("Catatan revisi wajib diisi.")},
    )

    LIST_FIELDS = ("legal_basis", "warnings")

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        initial = {name: content.get(name) for name in cls.base_fields if name in content}
        for name in cls.LIST_FIELDS:
            initial[name] = "\n".join(content.get(name) or [])
        initial["related_codes"] = ", ".join(content.get("related_codes") or [])
        return initial

    def clean_legal_basis(self) -> list[str]:
        return _lines(self.cleaned_data["legal_basis"])

    def clean_warnings(self) -> list[str]:
        return _lines(self.cleaned_data["warnings"])

    def clean_related_codes(self) -> list[str]:
        codes = [code.strip() for code in self.cleaned_data["related_codes"].split(",")]
        codes = [code for code in codes if code]
        wrong = [code for code in codes if not _CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                gettext("Kode SOP tidak dikenali: %(codes)s. Tulis seperti 2.1 atau 3.5.")
                % {"codes": ", ".join(wrong)}
            )
        return codes

    def header(self) -> dict:
        """The cleaned header as content values (dates ISO, lists of text)."""
        data = {}
        for name, value in self.cleaned_data.items():
            if name == "revision_note":
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            data[name] = value
        return data


class StepForm(forms.Form):
    """One row of the flow table. `number` is kept for existing steps, empty for a new one."""

    number = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    group = forms.CharField(label=_("Butir"), max_length=20, required=False, widget=_input())
    group_title = forms.CharField(
        label=_("Kelompok"), max_length=300, required=False, widget=_input()
    )
    description = forms.CharField(
        label=_("Uraian kegiatan"),
        widget=_textarea(3),
        error_messages={"required": _("Uraian kegiatan wajib diisi.")},
    )
    executor_1 = forms.CharField(
        label=_("Pelaksana 1"), max_length=200, required=False, widget=_input()
    )
    executor_2 = forms.CharField(
        label=_("Pelaksana 2"), max_length=200, required=False, widget=_input()
    )
    executor_3 = forms.CharField(
        label=_("Pelaksana 3"), max_length=200, required=False, widget=_input()
    )
    requirements = forms.CharField(
        label=_("Persyaratan/kelengkapan"), required=False, widget=_textarea(2)
    )
    time_text = forms.CharField(
        label=_("Waktu"),
        max_length=300,
        required=False,
        widget=_input(),
        help_text=_(
            'Contoh: "15 - 30 menit", "7 (tujuh) hari kerja", "1 - 24 Jam", "Hari kerja", '
            '"Setiap hari kerja pukul 09.00-15.00 WIB", "Tidak ditentukan".'
        ),
    )
    output = forms.CharField(label=_("Output"), required=False, widget=_textarea(2))

    @classmethod
    def initial_from(cls, step: dict) -> dict:
        initial = {name: step.get(name, "") for name in ("number", "group", "group_title")}
        initial |= {
            "description": step["description"],
            "requirements": step["requirements"],
            "time_text": step["time"],
            "output": step["output"],
        }
        for index in range(EXECUTOR_COLUMNS):
            executors = step["executors"]
            initial[f"executor_{index + 1}"] = executors[index] if index < len(executors) else ""
        return initial

    def clean_time_text(self) -> str:
        text = self.cleaned_data["time_text"].strip()
        try:
            parse_time_standard(text)
        except ValueError as exc:
            raise forms.ValidationError(
                gettext("%(reason)s Tulis waktu seperti contoh di bawah.") % {"reason": exc}
            ) from None
        return text

    def step(self, number: int) -> dict:
        data = self.cleaned_data
        return {
            "number": number,
            "group": data["group"],
            "group_title": data["group_title"],
            "description": data["description"],
            "executors": [
                data[f"executor_{index + 1}"]
                for index in range(EXECUTOR_COLUMNS)
                if data[f"executor_{index + 1}"].strip()
            ],
            "requirements": data["requirements"],
            "time": data["time_text"],
            "output": data["output"],
        }


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, max_num=200)


class PeriodForm(forms.Form):
    """The period of the compliance report (SOP-3): a month, a quarter or a year.

    `periode` is written as the kind wants ("2026-03", "2026-T1", "2026");
    empty means the current one. The old `bulan` parameter (a month) is still
    understood. `cleaned_data["period"]` is the `Period`.
    """

    jenis = forms.ChoiceField(
        label=_("Jenis periode"),
        choices=PeriodKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Pilih jenis periode: bulan, triwulan atau tahun.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    periode = forms.CharField(
        label=_("Periode"),
        required=False,
        max_length=20,
        help_text=_("Bulan 2026-03, triwulan 2026-T1, tahun 2026; kosong: periode berjalan."),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "text"}),
    )

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None and "bulan" in data and not data.get("periode"):
            data = data.copy()
            data.setdefault("jenis", PeriodKind.MONTH)
            data["periode"] = data["bulan"]
        super().__init__(data, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        kind = data.get("jenis") or PeriodKind.MONTH
        text = (data.get("periode") or "").strip()
        if not text:
            data["period"] = Period.containing(kind, timezone.localdate())
            return data
        try:
            data["period"] = parse_period(kind, text)
        except PeriodError as error:
            self.add_error("periode", str(error))
        return data
