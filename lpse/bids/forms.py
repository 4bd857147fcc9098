"""Forms of the key ceremony, the offline certificate, the opening and upload tokens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class KeyCeremonyForm(forms.Form):
    """One passphrase field per committee member (each types their own) and k."""

    threshold = forms.IntegerField(label=_("Jumlah bagian minimal untuk membuka (k)"), min_value=1)
    max_bid_mb = forms.IntegerField(
        label=_("Ukuran penawaran maksimum (MB)"),
        min_value=1,
        required=False,
        help_text=_("Kosongkan untuk batas bawaan LPSE."),
    )

    def __init__(self, *args, members, default_max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        n = len(members)
        self.fields["threshold"].max_value = max(n, 1)
        self.fields["threshold"].initial = n // 2 + 1 if n > 1 else 1
        self.fields["max_bid_mb"].initial = default_max_mb
        for member in members:
            name = member.user.get_full_name() or member.user.username
            self.fields[f"pass_{member.user_id}"] = forms.CharField(
                label=_("Frasa sandi %(name)s") % {"name": name},
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                min_length=10,
                strip=False,
            )
            self.fields[f"confirm_{member.user_id}"] = forms.CharField(
                label=_("Ulangi frasa sandi %(name)s") % {"name": name},
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                strip=False,
            )

    def clean(self):
        data = super().clean()
        for member in self.members:
            first = data.get(f"pass_{member.user_id}")
            if first and first != data.get(f"confirm_{member.user_id}"):
                self.add_error(f"confirm_{member.user_id}", _("Frasa sandi tidak sama."))
        return data

    def passphrases(self) -> dict[int, str]:
        return {m.user_id: self.cleaned_data[f"pass_{m.user_id}"] for m in self.members}


class OfflineCertificateForm(forms.Form):
    certificate = forms.FileField(
        label=_("Sertifikat tender (tender.crt dari lpse-seal keygen)"),
        help_text=_("Hanya sertifikat; kunci privat tetap pada Pokja."),
    )
    max_bid_mb = forms.IntegerField(
        label=_("Ukuran penawaran maksimum (MB)"), min_value=1, required=False
    )


class OpeningForm(forms.Form):
    """Members present type their passphrases (k of them), or the offline key file."""

    key_file = forms.FileField(label=_("Berkas kunci privat (kunci luring)"), required=False)
    key_password = forms.CharField(
        label=_("Kata sandi berkas kunci (jika ada)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
    )

    def __init__(self, *args, shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = shares
        for share in shares:
            name = share.member.get_full_name() or share.member.username
            self.fields[f"pass_{share.member_id}"] = forms.CharField(
                label=_("Frasa sandi %(name)s") % {"name": name},
                required=False,
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
            )

    def passphrases(self) -> dict[int, str]:
        return {
            s.member_id: self.cleaned_data.get(f"pass_{s.member_id}") or "" for s in self.shares
        }


class TokenForm(forms.Form):
    label = forms.CharField(label=_("Label (mis. nama komputer)"), max_length=100, required=False)
