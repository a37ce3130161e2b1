"""The Bürgerbüro's back office: what the residents' services add to the case page and the inbox.

- The Melderegisterauskunft's panel on the case page: staff approve the extended items a requester asked
  for (each with the legitimate interest stated) or refuse the request with a reason; a simple request that
  the register could not answer is answered from the same panel (``views.information_decide``). While such
  a request is open, the case page's status form offers no end: the panel ends it.
- The inbox's note of what the register said about each Bürgerbüro case (``RegisterSubject.finding``).

Registered in ``apps.ResidentsConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.core.forms import KernFormMixin

from . import services
from .constants import RegisterFinding
from .models import RegisterSubject

# --- the Melderegisterauskunft: staff decide, or answer when the register was down ----------------------------


class InformationAnswerForm(KernFormMixin, forms.Form):
    """The extended items staff approve; none approved gives the simple information only."""

    items = forms.MultipleChoiceField(
        label=_("Which further items may the requester get?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only items that the requester asked for.")},
    )

    def __init__(self, *args: Any, requested: Sequence[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, label) for key, label, _interest in requested]


class InformationRefuseForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing the information"),
        help_text=_("The requester will see it. They get no information about the person."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reason for refusing the information. The requester will see it.")},
    )


def information_panel_context(
    *, case: Any, answer_form: InformationAnswerForm | None = None, refuse_form: InformationRefuseForm | None = None
) -> dict[str, Any]:
    """What the panel and the decision page show: the items asked for with their interests, the forms, and
    whether the register could not be reached. Reads nothing from the register."""
    requested = services.information_requested_items(case=case)
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).only("finding").first()
    chosen = set(answer_form["items"].value() or []) if answer_form is not None and answer_form.is_bound else set()
    answer_form = answer_form or InformationAnswerForm(requested=requested, prefix="answer")
    return {
        "case": case,
        "extended": case.submission.answers.get("kind") == "extended",
        "requested": [
            {"key": key, "label": label, "interest": interest, "checked": key in chosen, "index": index}
            for index, (key, label, interest) in enumerate(requested)
        ],
        "answer_form": answer_form,
        "refuse_form": refuse_form or InformationRefuseForm(prefix="refuse"),
        "unavailable": subject is not None and subject.finding == RegisterFinding.UNAVAILABLE,
    }


@case_hooks.staff_panel
def information_panel(*, case: Any, user: Any) -> CasePanel | None:
    """An open Melderegisterauskunft: the decision on the extended items, or the answer a register that was
    down left undone. Nothing is read from the register until staff press the button."""
    if case.status in CLOSED_STATUSES or not services.information_is_request(case=case):
        return None
    return CasePanel(template="residents/_case_information.html", context=information_panel_context(case=case))


@case_hooks.closed_elsewhere
def information_closed_by_answer(*, case: Any) -> str | None:
    """An open request is ended by its answer or refusal in the panel, so that the requester is told."""
    if case.status in CLOSED_STATUSES or not services.information_is_request(case=case):
        return None
    return gettext(
        "This request is ended by its answer or its refusal in the section “Request for information from the "
        "register”, so that the requester is told."
    )


# --- the inbox: what the register said ---------------------------------------------------------------------


def _finding_note(finding: str, *, open_case: bool) -> str:
    if finding == RegisterFinding.UNAVAILABLE and open_case:
        return gettext("Register not reachable — please answer")
    return gettext("Register: %(finding)s") % {"finding": RegisterFinding(finding).label}


@case_hooks.inbox_lines
def register_findings(*, cases: Sequence[Any]) -> Mapping[str, str]:
    """The register's finding for each case on the inbox page that has one ("Register: Person gefunden"), by
    the case's uuid: one query for the page, no register call."""
    states = {str(case.uuid): case.status for case in cases}
    rows = RegisterSubject.objects.filter(submission__case__uuid__in=list(states)).exclude(finding="")
    lines = {}
    for case_uuid, finding in rows.values_list("submission__case__uuid", "finding"):
        if finding in RegisterFinding.values:
            uuid = str(case_uuid)
            lines[uuid] = _finding_note(finding, open_case=states[uuid] not in CLOSED_STATUSES)
    return lines
