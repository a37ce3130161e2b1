"""The forms of the immigration office's staff triage. They check input; the rules are in ``triage.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtsweg.cases.forms import MessageForm, MultipleFileField
from amtsweg.core.forms import KernFormMixin

from .triage_constants import CallResult


class CallWindowForm(KernFormMixin, forms.Form):
    day = forms.DateField(
        label=_("Day of the call"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the day of the call."), "invalid": _("Enter the day as a real date.")},
    )
    start = forms.TimeField(
        label=_("Call from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter when the call window starts."), "invalid": _("Enter a time like 9:30.")},
    )
    end = forms.TimeField(
        label=_("Call until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter when the call window ends."), "invalid": _("Enter a time like 10:00.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end of the call window must be after its start."))
        return data


class CallResultForm(KernFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Result of the call"),
        choices=CallResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the citizen was reached.")},
    )
    note = forms.CharField(
        label=_("Note on the call (optional)"),
        help_text=_("An internal note: the citizen does not see it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentsForm(MessageForm):
    """The documents for the citizen (required) and a note of staff's own, added to the standard message."""

    text = forms.CharField(
        label=_("Your note to the citizen (optional)"),
        help_text=_("Added to the standard message in the citizen's language."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(
        label=_("Documents for the citizen"), help_text=_("Up to 5 files: PDF, JPG or PNG."), required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        if not self.errors.get("files") and not self.cleaned_data.get("files"):
            self.add_error("files", _("Choose the documents to send."))
        return self.cleaned_data
