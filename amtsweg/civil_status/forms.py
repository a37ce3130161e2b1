"""Forms of the fulfilment back office. They check input; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amtsweg.core.forms import KernFormMixin

from .constants import MAX_TEXT


class QueryForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your question to the citizen"),
        help_text=_("The citizen sees it on the status page and by email, and can answer with a document."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter your question to the citizen."),
            "max_length": _("The text is too long: at most 2,000 characters."),
        },
    )


class RejectForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        help_text=_("The citizen sees it. The fee paid is refunded automatically."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason for the rejection. The citizen will see it."),
            "max_length": _("The reason is too long: at most 500 characters."),
        },
    )
