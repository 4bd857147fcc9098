"""Account forms; every message in Indonesian next to its field (SEC-2)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .choices import STAFF_ROLES, Role
from .models import User, WorkUnit

STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]


class BootstrapMixin:
    """Bootstrap 5 classes on every widget (no inline styles)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil. "
            "Setelah beberapa kali salah, akun dikunci sementara dari alamat ini."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi Administrator Aplikasi LPSE."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    """Also reaches staff who have not chosen a first password yet (their link expired)."""

    def get_users(self, email):
        users = User.objects.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class TokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("Kode"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


class StaffForm(BootstrapMixin, forms.Form):
    """Profile and roles of a staff user; never a password (SEC-1, SEC-2)."""

    first_name = forms.CharField(label=_("Nama depan"), max_length=150)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Alamat e-mail"),
        help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini."),
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    work_unit = forms.ModelChoiceField(
        label=_("Satuan kerja"),
        queryset=WorkUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("(LPSE / tidak ada)"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        choices=STAFF_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu peran.")},
    )


class StaffCreateForm(StaffForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Huruf, angka dan @ . + - _ saja."),
    )
    field_order = ["username", "first_name", "last_name", "email", "phone", "work_unit", "roles"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username
