"""Forms of the staff sign-in and its second factor."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from amtsweg.core.forms import KernFormMixin


class TokenForm(KernFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits shown in the app."),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "kern-form-input__input kern-form-input__input--width-4",
            }
        ),
        error_messages={
            "required": _("Enter the code from your authenticator app."),
            "min_length": _("Enter the 6-digit code from your authenticator app."),
            "max_length": _("Enter the 6-digit code from your authenticator app."),
        },
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the 6-digit code from your authenticator app."))
        return token


class StaffAuthenticationForm(KernFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. After 5 failed attempts, sign-in is locked for a while."
        ),
    }
