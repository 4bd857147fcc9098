"""Forms of the tender pages. Times are entered in WIB (the site's time zone) and
stored in UTC; rules live in `schedule.py` and the services, not here."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.accounts.models import WorkUnit
from lpse.reports.exports import PeriodFilterForm, search_field, status_field
from lpse.vendors.company_forms import BootstrapMixin

from . import schedule as rules
from .choices import (
    DocumentKind,
    EvaluationOutcome,
    ScheduleChangeStatus,
    StageKind,
    TenderStatus,
)
from .models import Tender
from .selectors import committee_candidates, ppk_candidates

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class TenderForm(BootstrapMixin, forms.ModelForm):
    ppk = UserChoiceField(queryset=None, required=False, label=_("PPK"))

    class Meta:
        model = Tender
        fields = [
            "name",
            "work_unit",
            "budget_year",
            "ceiling",
            "hps",
            "method",
            "category",
            "qualification",
            "qualification_requirements",
            "location",
            "description",
            "ppk",
        ]
        widgets = {
            "qualification_requirements": forms.Textarea(attrs={"rows": 4}),
            "location": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ppk"].queryset = ppk_candidates()
        self.fields["work_unit"].queryset = WorkUnit.objects.filter(is_active=True)
        self.fields["hps"].help_text = _("Rupiah, tepat sampai sen (mis. 1250000000.00).")
        for name in ("name", "work_unit", "budget_year", "hps", "method", "category"):
            self.fields[name].error_messages["required"] = _("Kolom ini wajib diisi.")

    def clean_budget_year(self):
        year = self.cleaned_data["budget_year"]
        this_year = timezone.localdate().year
        if not (this_year - 1 <= year <= this_year + 1):
            raise forms.ValidationError(
                _("Tahun anggaran harus antara %(low)d dan %(high)d.")
                % {"low": this_year - 1, "high": this_year + 1}
            )
        return year


class TenderCreateForm(TenderForm):
    accept_pact = forms.BooleanField(
        label=_("Sebagai ketua Pokja, saya menyetujui Pakta Integritas untuk tender ini."),
        error_messages={"required": _("Pakta Integritas harus disetujui.")},
    )


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={
            "required": _("Waktu wajib diisi."),
            "invalid": _("Waktu tidak valid (tanggal dan jam WIB)."),
        },
    )


class ScheduleForm(BootstrapMixin, forms.Form):
    """One start/end pair per stage, in WIB; `rows()` gives the schedule after validation."""

    def __init__(self, *args, initial_rows: list[rules.Row] | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        for row in initial_rows or []:
            initial[f"{row.kind}_start"] = timezone.localtime(row.starts_at)
            initial[f"{row.kind}_end"] = timezone.localtime(row.ends_at)
        super().__init__(*args, initial=initial, **kwargs)
        for kind in StageKind:
            self.fields[f"{kind.value}_start"] = _datetime_field(_("Mulai"))
            self.fields[f"{kind.value}_end"] = _datetime_field(_("Sampai"))
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def stage_fields(self):
        """(label, start bound field, end bound field) per stage, in order."""
        return [
            (kind.label, self[f"{kind.value}_start"], self[f"{kind.value}_end"])
            for kind in StageKind
        ]

    def rows(self) -> list[rules.Row]:
        data = self.cleaned_data
        return [
            rules.Row(kind.value, data[f"{kind.value}_start"], data[f"{kind.value}_end"])
            for kind in StageKind
        ]

    def add_problems(self, problems: list[rules.Problem]) -> None:
        for problem in problems:
            field = f"{problem.kind}_start" if problem.kind else None
            self.add_error(field, problem.message)


class ScheduleChangeForm(ScheduleForm):
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib: setiap perubahan jadwal harus mencantumkan alasannya (SOP 3.5)."),
        error_messages={"required": _("Alasan perubahan jadwal wajib diisi.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"


class DocumentForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=300)
    document = forms.FileField(label=_("Berkas"), help_text=_("PDF, JPEG atau PNG."))
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)


class MemberForm(BootstrapMixin, forms.Form):
    user = UserChoiceField(queryset=None, label=_("Anggota Pokja"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = committee_candidates()


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan wajib diisi.")},
    )


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan keputusan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila permohonan ditolak."),
    )


class JoinForm(BootstrapMixin, forms.Form):
    accept_pact = forms.BooleanField(
        label=_("Saya menyetujui Pakta Integritas di atas atas nama perusahaan saya."),
        required=False,
    )


class TextForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Isi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Isian wajib diisi.")},
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("Jawaban"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": _("Jawaban wajib diisi.")},
    )


TRI_STATE = [("", _("Belum dinilai")), ("1", _("Lulus")), ("0", _("Tidak lulus"))]


def _tri(value: str) -> bool | None:
    return None if value in ("", None) else value == "1"


class EvaluationForm(BootstrapMixin, forms.Form):
    bid_price = forms.DecimalField(
        label=_("Harga penawaran (Rp)"), max_digits=18, decimal_places=2, required=False
    )
    corrected_price = forms.DecimalField(
        label=_("Harga terkoreksi (Rp)"), max_digits=18, decimal_places=2, required=False
    )
    qualification_passed = forms.ChoiceField(
        label=_("Kualifikasi"), choices=TRI_STATE, required=False
    )
    technical_passed = forms.ChoiceField(label=_("Teknis"), choices=TRI_STATE, required=False)
    price_passed = forms.ChoiceField(label=_("Harga"), choices=TRI_STATE, required=False)
    outcome = forms.ChoiceField(
        label=_("Hasil"),
        choices=EvaluationOutcome.choices,
        error_messages={"required": _("Pilih hasil evaluasi: Lulus atau Gugur.")},
    )
    rank = forms.IntegerField(label=_("Peringkat"), min_value=1, required=False)
    reasons = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Wajib bila gugur."),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "bid_price": data["bid_price"],
            "corrected_price": data["corrected_price"],
            "qualification_passed": _tri(data["qualification_passed"]),
            "technical_passed": _tri(data["technical_passed"]),
            "price_passed": _tri(data["price_passed"]),
            "outcome": data["outcome"],
            "reasons": data["reasons"],
            "rank": data["rank"],
        }

    @staticmethod
    def initial_for(participant) -> dict:
        def tri(value):
            return "" if value is None else ("1" if value else "0")

        return {
            "bid_price": participant.bid_price,
            "corrected_price": participant.corrected_price,
            "qualification_passed": tri(participant.qualification_passed),
            "technical_passed": tri(participant.technical_passed),
            "price_passed": tri(participant.price_passed),
            "outcome": participant.outcome or None,
            "rank": participant.rank,
            "reasons": participant.reasons,
        }


# --- RPT-1: filters of the committee's list and the schedule change queue ----------------


class CommitteeFilterForm(PeriodFilterForm):
    """The Pokja's own tenders: code or name, status, the period they were created in."""

    q = search_field(_("Kode atau nama paket"))
    status = status_field([("", _("Semua status")), *TenderStatus.choices])
    field_order = ["q", "status", "dari", "sampai"]
    period_labels = (_("Dibuat dari"), _("Dibuat sampai"))


class ChangeFilterForm(PeriodFilterForm):
    """Schedule change requests: status (waiting ones when not chosen), tender, period."""

    q = search_field(_("Kode atau nama paket"))
    status = status_field([("", _("Semua")), *ScheduleChangeStatus.choices])
    field_order = ["q", "status", "dari", "sampai"]
    period_labels = (_("Diajukan dari"), _("Diajukan sampai"))

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            # No status parameter at all (the menu link) means the requests waiting.
            data = data.copy()
            data["status"] = ScheduleChangeStatus.PENDING
        super().__init__(data, *args, **kwargs)

    def criteria(self) -> dict:
        """The cleaned filters; the waiting requests while the form has errors."""
        if self.is_valid():
            return dict(self.cleaned_data)
        return {"status": ScheduleChangeStatus.PENDING}
