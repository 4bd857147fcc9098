"""Forms of the failed-opening procedure (ERR-1); the services check again."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .failure_choices import AttemptOutcome, RequestChannel, RequestResult

MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_KEY_BYTES = 64 * 1024


def _check_size(uploaded, limit_bytes: int, message) -> None:
    if uploaded is not None and uploaded.size > limit_bytes:
        raise forms.ValidationError(message)


class BootstrapForm(forms.Form):
    """Bootstrap classes on the widgets and the red outline on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class ResultChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.bid.participant.vendor.name} - {obj.get_failure_code_display() or '-'}"


class RequestForm(BootstrapForm):
    """SOP 3.1 step 1: the committee's request, with failed bids and/or uploaded files."""

    results = ResultChoiceField(
        label=_("Penawaran yang gagal dibuka"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.ChoiceField(
        label=_("Cara pengajuan"), choices=RequestChannel.choices, initial=RequestChannel.SYSTEM
    )
    letter_reference = forms.CharField(
        label=_("Nomor surat atau perihal e-mail"),
        max_length=150,
        required=False,
        help_text=_("Wajib untuk permohonan dengan surat/CD atau e-mail."),
    )
    letter_date = forms.DateField(
        label=_("Tanggal surat/e-mail"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        label=_("Uraian permasalahan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import BidOpening

        self.fields["results"].queryset = BidOpening.objects.filter(
            pk__in=[result.pk for result in results]
        ).select_related("bid__participant__vendor")
        if not results:
            self.fields["results"].help_text = _("Tidak ada penawaran gagal dibuka di sistem.")

    def clean_letter_date(self):
        value = self.cleaned_data.get("letter_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal surat/e-mail tidak boleh setelah hari ini."))
        return value


class UploadRowForm(BootstrapForm):
    """One file that came on CD/e-mail, with what the vendor's receipt says about it."""

    upload = forms.FileField(
        label=_("Berkas dari CD/e-mail (amplop .p7m)"),
        required=False,
        help_text=_("Pilih penawaran di atas bila berkasnya sudah ada di sistem."),
    )
    vendor_name = forms.CharField(
        label=_("Nama penyedia berkas ini"), max_length=255, required=False
    )
    expected_md5 = forms.CharField(
        label=_("MD5 menurut tanda terima"), max_length=40, required=False
    )
    expected_sha256 = forms.CharField(
        label=_("SHA-256 menurut tanda terima"), max_length=70, required=False
    )
    expected_size = forms.IntegerField(
        label=_("Ukuran menurut tanda terima (bita)"), min_value=0, required=False
    )
    signature = forms.FileField(
        label=_("Tanda tangan terpisah penyedia (CMS .p7s), bila ada"), required=False
    )

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        _check_size(
            uploaded,
            settings.LPSE_BID_MAX_MB * 1024 * 1024,
            _("Berkas lebih besar dari batas %(mb)s MB.") % {"mb": settings.LPSE_BID_MAX_MB},
        )
        return uploaded

    def clean_signature(self):
        uploaded = self.cleaned_data.get("signature")
        _check_size(uploaded, MAX_SIGNATURE_BYTES, _("Berkas tanda tangan terlalu besar."))
        return uploaded

    def clean(self):
        data = super().clean()
        if data.get("signature") and not data.get("upload"):
            self.add_error("signature", _("Tanda tangan hanya untuk berkas yang diunggah."))
        return data


class BaseUploadFormSet(forms.BaseFormSet):
    def uploads(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("upload")]


UploadFormSet = forms.formset_factory(
    UploadRowForm, formset=BaseUploadFormSet, extra=3, max_num=10, validate_max=True
)


def has_files(form: RequestForm, uploads) -> bool:
    """At least one failed bid chosen or one file uploaded."""
    return bool(form.cleaned_data.get("results")) or bool(uploads.uploads())


class AttemptForm(BootstrapForm):
    """SOP 3.1 step 2: one attempt of LPSE staff on one file."""

    outcome = forms.ChoiceField(
        label=_("Hasil"), choices=[("", "---------"), *AttemptOutcome.choices], required=False
    )
    key_file = forms.FileField(
        label=_("Kunci privat tender (PEM), bila tersedia"),
        required=False,
        help_text=_("Server mencoba membuka berkas dengan kunci ini; kunci tidak disimpan."),
    )
    key_passphrase = forms.CharField(
        label=_("Kata sandi kunci"), required=False, widget=forms.PasswordInput
    )
    plain_file = forms.FileField(
        label=_("Hasil pembukaan (isi penawaran)"),
        required=False,
        help_text=_("Bila berkas dibuka dengan alat lain, unggah hasilnya untuk Pokja."),
    )
    notes = forms.CharField(
        label=_("Catatan percobaan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, shares=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = list(shares)
        for share in self.shares:
            name = share.member.get_full_name() or share.member.username
            self.fields[f"pass_{share.member_id}"] = forms.CharField(
                label=_("Frasa sandi %(name)s") % {"name": name},
                required=False,
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "off", "class": "form-control"}),
                help_text=_("Diketik sendiri oleh anggota Pokja yang hadir."),
            )

    def passphrases(self) -> dict[int, str]:
        return {
            share.member_id: self.cleaned_data.get(f"pass_{share.member_id}") or ""
            for share in self.shares
        }

    def clean_key_file(self):
        uploaded = self.cleaned_data.get("key_file")
        _check_size(uploaded, MAX_KEY_BYTES, _("Berkas kunci terlalu besar untuk kunci privat."))
        return uploaded

    def clean(self):
        data = super().clean()
        has_key = data.get("key_file") or any(
            data.get(f"pass_{share.member_id}") for share in self.shares
        )
        if not has_key and not data.get("outcome") and not self.errors:
            self.add_error(
                "outcome",
                _("Pilih hasil percobaan, unggah kunci privat atau isi frasa sandi Pokja."),
            )
        return data


class WitnessForm(BootstrapForm):
    witnesses = forms.ModelMultipleChoiceField(
        label=_("Saksi yang hadir"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Minimal satu anggota Pokja Pemilihan dan satu staf LPSE."),
    )
    other_witnesses = forms.CharField(
        label=_("Saksi lain (satu per baris: Nama - Jabatan)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        from lpse.accounts.models import User

        self.roles = {user.pk: role for user, role in candidates}
        self.fields["witnesses"].queryset = User.objects.filter(pk__in=list(self.roles))
        self.fields["witnesses"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} - {self.roles.get(user.pk, '')}"
        )


class EscalationForm(BootstrapForm):
    lkpp_email = forms.EmailField(label=_("E-mail LKPP"))
    lkpp_reference = forms.CharField(
        label=_("Nomor tiket LKPP (bila sudah ada)"), max_length=100, required=False
    )
    note = forms.CharField(
        label=_("Pesan tambahan untuk LKPP"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AnswerForm(BootstrapForm):
    lkpp_reference = forms.CharField(
        label=_("Nomor tiket/surat LKPP"), max_length=100, required=False
    )
    answer = forms.CharField(label=_("Jawaban LKPP"), widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.ChoiceField(
        label=_("Hasil akhir"),
        choices=[
            (RequestResult.LKPP_OPENED.value, RequestResult.LKPP_OPENED.label),
            (RequestResult.NOT_OPENED.value, RequestResult.NOT_OPENED.label),
        ],
    )
