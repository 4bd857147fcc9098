"""Forms of the helpdesk; texts in Indonesian (GEN-1)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lpse.reports.exports import PeriodFilterForm
from lpse.vendors.company import CompanySection

from .choices import Channel, EscalationReason, GrantScope, RequesterType, TicketStatus
from .models import Article, Topic

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AttachmentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Lampiran (PDF, JPEG atau PNG)"))
        super().__init__(**kwargs)


class Styled:
    """Bootstrap classes on every widget; the invalid outline next to each error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _topics():
    return Topic.objects.filter(is_active=True)


class LogRequestForm(Styled, forms.Form):
    """One form for a phone call or a visit (DESK-1): fast to fill during the call."""

    requester_type = forms.ChoiceField(
        label=_("Penanya"), choices=RequesterType.choices, initial=RequesterType.VENDOR
    )
    channel = forms.ChoiceField(label=_("Saluran"), choices=Channel.choices, initial=Channel.PHONE)
    topic = forms.ModelChoiceField(label=_("Topik"), queryset=_topics(), empty_label=None)
    requester_name = forms.CharField(label=_("Nama penanya"), max_length=200)
    requester_phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    requester_email = forms.EmailField(
        label=_("E-mail (bila ada)"),
        required=False,
        help_text=_("Kosongkan bila penanya tidak punya e-mail; jangan mengarang alamat."),
    )
    requester_org = forms.CharField(label=_("Instansi/perusahaan"), max_length=200, required=False)
    question = forms.CharField(label=_("Pertanyaan"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("Jawaban yang diberikan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Isi bila sudah dijawab saat itu; tiket langsung berstatus dijawab."),
    )
    received_at = forms.DateTimeField(
        label=_("Mulai (WIB)"), input_formats=DATETIME_FORMATS, widget=LocalDateTimeInput()
    )
    ended_at = forms.DateTimeField(
        label=_("Selesai (WIB)"),
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics()
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self):
        data = super().clean()
        no_contact = not data.get("requester_phone") and not data.get("requester_email")
        if no_contact and data.get("channel") == Channel.PHONE:
            self.add_error("requester_phone", _("Isi nomor telepon penanya."))
        return data


class TicketForm(Styled, forms.Form):
    topic = forms.ModelChoiceField(label=_("Topik"), queryset=_topics(), empty_label=None)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    question = forms.CharField(
        label=_("Pertanyaan atau keluhan"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = AttachmentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics()


class UploadReportForm(Styled, forms.Form):
    """ERR-4: the vendor says what fails; the diagnostics are attached automatically."""

    question = forms.CharField(
        label=_("Apa yang terjadi?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Misalnya: bagian data, nama berkas, pesan yang muncul. Jangan menuliskan kata sandi: "
            "LPSE tidak pernah memintanya."
        ),
    )
    attachment = AttachmentField(label=_("Tangkapan layar (PNG/JPEG) atau berkasnya (PDF)"))


class ReplyForm(Styled, forms.Form):
    body = forms.CharField(label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 6}))
    status = forms.ChoiceField(
        label=_("Sesudah dikirim"),
        choices=[
            (TicketStatus.ANSWERED, _("Dijawab")),
            (TicketStatus.WAITING_REQUESTER, _("Menunggu penanya (pertanyaan balik)")),
        ],
        initial=TicketStatus.ANSWERED,
    )
    attachment = AttachmentField()


class NoteForm(Styled, forms.Form):
    body = forms.CharField(label=_("Catatan internal"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = AttachmentField()


class AssignForm(Styled, forms.Form):
    officer = forms.ModelChoiceField(label=_("Petugas"), queryset=None, empty_label=None)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class StatusForm(Styled, forms.Form):
    status = forms.ChoiceField(
        label=_("Status baru"),
        choices=[
            (TicketStatus.OPEN, TicketStatus.OPEN.label),
            (TicketStatus.WAITING_REQUESTER, TicketStatus.WAITING_REQUESTER.label),
            (TicketStatus.CLOSED, TicketStatus.CLOSED.label),
        ],
    )
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class EscalationForm(Styled, forms.Form):
    reason = forms.ChoiceField(
        label=_("Alasan (Pasal 9 ayat 3)"),
        choices=EscalationReason.choices,
        widget=forms.RadioSelect,
    )
    sent_summary = forms.CharField(
        label=_("Yang dikirim ke LKPP"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lkpp_reference = forms.CharField(label=_("Nomor tiket LKPP"), max_length=100)
    attach_diagnostics = forms.BooleanField(
        label=_("Lampirkan diagnostik unggah penyedia"), required=False, initial=True
    )


class LkppAnswerForm(Styled, forms.Form):
    answer = forms.CharField(label=_("Jawaban LKPP"), widget=forms.Textarea(attrs={"rows": 4}))
    reply_to_requester = forms.CharField(
        label=_("Jawaban untuk penanya"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kosongkan untuk meneruskan jawaban LKPP apa adanya."),
    )


class RetryForm(Styled, forms.Form):
    explanation = forms.CharField(
        label=_("Penjelasan kepada penyedia"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RequesterMessageForm(Styled, forms.Form):
    body = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = AttachmentField()


class RatingForm(Styled, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Seberapa memuaskan jawabannya?"),
        coerce=int,
        choices=[
            (5, _("5 - sangat memuaskan")),
            (4, _("4 - memuaskan")),
            (3, _("3 - cukup")),
            (2, _("2 - kurang")),
            (1, _("1 - tidak memuaskan")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (boleh kosong)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ArticleForm(Styled, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "topic", "body", "is_published", "is_canned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class TopicForm(Styled, forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "order", "is_active"]


class GrantForm(Styled, forms.Form):
    scope = forms.ChoiceField(
        label=_("Cakupan"),
        choices=GrantScope.choices,
        initial=GrantScope.READ,
        widget=forms.RadioSelect,
    )
    hours = forms.IntegerField(label=_("Lama (jam)"), min_value=1, initial=2)
    ticket = forms.ModelChoiceField(
        label=_("Untuk tiket"), queryset=None, required=False, empty_label=_("(tanpa tiket)")
    )

    def __init__(self, *args, tickets=None, max_hours: int = 8, default_hours: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket"].queryset = tickets
        self.fields["hours"].max_value = max_hours
        self.fields["hours"].widget.attrs["max"] = max_hours
        self.fields["hours"].validators.append(MaxValueValidator(max_hours))
        self.fields["hours"].initial = default_hours


class SupportUploadForm(Styled, forms.Form):
    section = forms.ChoiceField(
        label=_("Bagian"),
        choices=[(c.value, c.label) for c in CompanySection if c != CompanySection.EMAIL_CHANGE],
    )
    record_id = forms.IntegerField(label=_("Nomor data"), min_value=1)
    document = forms.FileField(label=_("Berkas yang dicoba"))


# --- RPT-1: the officers' queue filters (page and export share them) ----------------------


class QueueFilterForm(PeriodFilterForm):
    """The queue's filters. Topic and officer are checked by shape only (no query):
    an unknown one simply matches nothing."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Belum selesai")), ("all", _("Semua status")), *TicketStatus.choices],
        error_messages={"invalid_choice": _("Status %(value)s tidak ada. Pilih dari daftar.")},
    )
    petugas = forms.RegexField(
        label=_("Petugas"),
        required=False,
        regex=r"^(me|none|\d{1,10})$",
        error_messages={"invalid": _("Petugas tidak dikenal. Pilih dari daftar.")},
    )
    topik = forms.IntegerField(
        label=_("Topik"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Topik tidak dikenal. Pilih dari daftar."),
            "min_value": _("Topik tidak dikenal. Pilih dari daftar."),
        },
    )
    saluran = forms.ChoiceField(
        label=_("Saluran"),
        required=False,
        choices=Channel.choices,
        error_messages={"invalid_choice": _("Saluran %(value)s tidak ada. Pilih dari daftar.")},
    )
    period_labels = (_("Diterima dari"), _("Diterima sampai"))

    def criteria(self):
        """The `QueueFilter` of a valid form; the default queue (unfinished tickets) otherwise."""
        from .selectors import QueueFilter

        if not self.is_valid():
            return QueueFilter()
        data = self.cleaned_data
        return QueueFilter(
            status=data["status"] or "active",
            assigned=data["petugas"],
            topic=data["topik"],
            channel=data["saluran"],
            query=data["q"],
            since=data["dari"],
            until=data["sampai"],
        )
