"""Forms of the back office. They check input; the rules themselves are in services.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from amtsweg.core.forms import KernFormMixin

from .constants import CaseStatus, ChecklistDecision
from .selectors import ME, UNASSIGNED

MAX_ATTACHMENTS = 5


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's own copy of a choice field, whose choices are set per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def staff_label(user: Any) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class InboxFilterForm(KernFormMixin, forms.Form):
    """The inbox's GET filters. Invalid values are reported and ignored."""

    q = forms.CharField(label=_("Reference number or name"), required=False, max_length=100)
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    age_days = forms.IntegerField(label=_("Received at least … days ago"), required=False, min_value=0, max_value=3650)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)

    def __init__(
        self,
        *args: Any,
        services: Iterable[Any],
        status_labels: Mapping[str, str],
        colleagues: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        all_label = _("All")
        _choice_field(self, "service").choices = [("", all_label)] + [(s.slug, s.name) for s in services]
        _choice_field(self, "status").choices = [("", all_label), *status_labels.items()]
        _choice_field(self, "assignee").choices = [
            ("", all_label),
            (ME, _("Me")),
            (UNASSIGNED, _("Nobody (unassigned)")),
        ] + [(u.get_username(), staff_label(u)) for u in colleagues]

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for ``case_list_for_staff``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "service": data.get("service") or None,
            "status": data.get("status") or None,
            "assignee": data.get("assignee") or None,
            "age_days": data.get("age_days"),
            "overdue": bool(data.get("overdue")),
        }


class BulkAssignForm(KernFormMixin, forms.Form):
    cases = forms.MultipleChoiceField(label=_("Cases"), error_messages={"required": _("Select at least one case.")})
    action = forms.ChoiceField(choices=[("me", "me"), ("other", "other")])
    assignee = forms.ChoiceField(label=_("Assign the selected cases to"), required=False)

    def __init__(self, *args: Any, case_choices: Iterable[str], colleagues: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "cases").choices = [(c, c) for c in case_choices]
        _choice_field(self, "assignee").choices = [("", _("Choose a colleague"))] + [
            (u.get_username(), staff_label(u)) for u in colleagues
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") == "other" and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign the selected cases to."))
        return data


class StatusForm(KernFormMixin, forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the new status.")},
    )
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        help_text=_("Required for a rejection. The citizen will see it."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, targets: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "to_status").choices = list(targets)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("to_status") == CaseStatus.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Enter the reason for the rejection. The citizen will see it."))
        return data


class AssignForm(KernFormMixin, forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, colleagues: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "assignee").choices = [("", _("Nobody (unassigned)"))] + [
            (u.get_username(), staff_label(u)) for u in colleagues
        ]


class NoteForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff see notes."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the note.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class MessageForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Message"),
        help_text=_("The citizen sees it on the status page and gets an email."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter the message.")},
    )
    # The form's metaclass moves this field into declared_fields, so it does not replace Form.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attachments (optional)"),
        help_text=_("Up to 5 files: PDF, JPG or PNG."),
        required=False,
    )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most 5 files."))
        from amtsweg.applications.files import sniff_content_type

        limit = settings.UPLOAD_MAX_MB_DEFAULT * 1024 * 1024
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(mb)s MB."),
                    params={"name": upload.name, "mb": settings.UPLOAD_MAX_MB_DEFAULT},
                )
            upload.seek(0)
            head = upload.read(16)
            upload.seek(0)
            if sniff_content_type(head) is None:
                raise forms.ValidationError(_("%(name)s must be a PDF, JPG or PNG file."), params={"name": upload.name})
        return files


class DocumentRequestForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Which documents are needed?"),
        help_text=_("The citizen sees this text and can upload the documents on the status page."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter which documents the citizen should send.")},
    )


class RefundForm(KernFormMixin, forms.Form):
    """A refund of a paid fee: an amount in euros (typed as "6,00" or "6") and a reason the citizen may be told."""

    amount = forms.CharField(
        label=_("Amount to refund in euros"),
        help_text=_("For example 6,00"),
        max_length=12,
        error_messages={"required": _("Enter the amount to refund.")},
    )
    reason = forms.CharField(
        label=_("Reason for the refund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for the refund.")},
    )

    def clean_amount(self) -> int:
        """Whole cents from the typed euros, without floats: "12", "12,5", "12,50" or "12.50"."""
        import re

        raw = self.cleaned_data["amount"].strip().replace("€", "").replace(" ", "")
        match = re.fullmatch(r"(\d{1,6})(?:[,.](\d{1,2}))?", raw)
        if not match:
            raise forms.ValidationError(_("Enter an amount in euros, like 6,00."))
        euros, cents = match.group(1), (match.group(2) or "0").ljust(2, "0")
        amount = int(euros) * 100 + int(cents)
        if amount <= 0:
            raise forms.ValidationError(_("Enter an amount greater than zero."))
        return amount


class ChecklistForm(KernFormMixin, forms.Form):
    """The documents of the case's checklist that staff have received (ticked); the others are unticked."""

    received = forms.MultipleChoiceField(label=_("Received"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, documents: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "received").choices = list(documents)


class ChecklistRequestForm(KernFormMixin, forms.Form):
    """Ask the citizen for documents of the checklist that are not in yet, with an optional note."""

    documents = forms.MultipleChoiceField(
        label=_("Missing documents to ask for"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the documents to ask for.")},
    )
    note = forms.CharField(
        label=_("Note to the citizen"),
        help_text=_("Optional. The message already names each document and how to send it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, documents: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "documents").choices = list(documents)


class ChecklistDecisionForm(KernFormMixin, forms.Form):
    """Staff's decision from the checklist: documents complete, or an appointment is needed."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ChecklistDecision.choices,
        error_messages={"required": _("Choose whether an appointment is needed.")},
    )
