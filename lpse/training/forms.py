"""Forms of training: they check shape only; the services decide (TRN-1..TRN-4)."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from lpse.core import calendar
from lpse.reports.exports import PeriodFilterForm, search_field, status_field

from .choices import Audience, RequestStatus, ResourceKind
from .models import TrainingResource
from .scheduling import trainers


class DateInput(forms.DateInput):
    """The browser's date picker; its value must be ISO (YYYY-MM-DD) whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _control(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class RequestForm(forms.Form):
    audience = forms.ChoiceField(label=_("Peserta pelatihan"), choices=Audience.choices)
    letter_number = forms.CharField(label=_("Nomor surat permohonan"), max_length=100)
    letter_date = forms.DateField(label=_("Tanggal surat"), widget=DateInput)
    letter_file = forms.FileField(
        label=_("Surat permohonan (PDF/JPEG/PNG)"),
        required=False,
        help_text=_("Unggah hasil pindaian surat, atau ketik isinya di bawah."),
    )
    letter_text = forms.CharField(
        label=_("Isi surat (bila tidak diunggah)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wanted_date = forms.DateField(label=_("Tanggal yang diinginkan"), widget=DateInput)
    wanted_date_alt = forms.DateField(
        label=_("Tanggal alternatif"), required=False, widget=DateInput
    )
    participant_count = forms.IntegerField(label=_("Jumlah peserta"), min_value=1, max_value=200)
    participant_names = forms.CharField(
        label=_("Nama peserta (satu nama per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_name = forms.CharField(label=_("Nama narahubung"), max_length=120)
    contact_phone = forms.CharField(label=_("Telepon narahubung"), max_length=30)
    contact_email = forms.EmailField(label=_("E-mail narahubung (untuk surat jawaban)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)

    def names(self) -> list[str]:
        return self.cleaned_data["participant_names"].splitlines()


class ConfirmForm(forms.Form):
    call_minutes = forms.IntegerField(
        label=_("Lama telepon (menit)"),
        min_value=1,
        max_value=60,
        help_text=_("Standar SOP 2.3 langkah 2: 1-5 menit."),
    )
    agreed_date = forms.DateField(label=_("Tanggal yang disepakati"), widget=DateInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class ScheduleForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Mulai"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Selesai"), widget=TimeInput)
    room = forms.ModelChoiceField(label=_("Ruang"), queryset=TrainingResource.objects.none())
    server = forms.ModelChoiceField(
        label=_("Server latihan"), queryset=TrainingResource.objects.none()
    )
    trainer = forms.ModelChoiceField(label=_("Pelatih"), queryset=trainers().none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = TrainingResource.objects.filter(is_active=True)
        self.fields["room"].queryset = active.filter(kind=ResourceKind.ROOM)
        self.fields["server"].queryset = active.filter(kind=ResourceKind.SERVER)
        self.fields["trainer"].queryset = trainers()
        self.fields["trainer"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        _control(self)

    def moments(self) -> tuple[datetime, datetime]:
        zone = calendar.local_tz()
        day = self.cleaned_data["date"]
        start: time = self.cleaned_data["starts_at"]
        end: time = self.cleaned_data["ends_at"]
        return datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone)


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Pelaksanaan"),
        choices=[("1", _("Terlaksana")), ("0", _("Tidak terlaksana"))],
        coerce=lambda value: value == "1",
    )
    attended = forms.MultipleChoiceField(
        label=_("Peserta yang hadir"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attended_count = forms.IntegerField(
        label=_("Jumlah hadir (termasuk yang tidak tercatat namanya)"),
        min_value=0,
        max_value=400,
        required=False,
    )
    note = forms.CharField(label=_("Hasil pelatihan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(p.pk), p.name) for p in participants]
        _control(self)

    def attended_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["attended"]}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class DayExceptionForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput)
    audience = forms.ChoiceField(
        label=_("Peserta"), choices=[(Audience.AGENCY, Audience.AGENCY.label)]
    )
    reason = forms.CharField(label=_("Alasan"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("Nama"), max_length=120)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


# --- RPT-1: the request list's filters (page and export share them) ----------------------


class RequestFilterForm(PeriodFilterForm):
    """Status, a text search (work unit, letter number, contact) and the filing period."""

    q = search_field(_("Satuan kerja, nomor surat atau narahubung"))
    status = status_field([("", _("Semua status")), *RequestStatus.choices])
    field_order = ["q", "status", "dari", "sampai"]
    period_labels = (_("Diajukan dari"), _("Diajukan sampai"))
