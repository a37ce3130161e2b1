"""The registration office's back office: what the Kfz-Zulassung adds to the case page and the inbox.

- The case page's panel "Vehicle registry": where the application stands, the office, the registry's number
  and answer with its reasons, and the actions: approve or refuse (with a reason the citizen reads) an
  application the registry referred to staff, send one again that the registry could not be reached for
  (``registry_views.registry_action``). "Ask the citizen" is the case page's own message.
- The inbox's line per case: "Registry: needs a decision — <reason>", "Registry: not reachable (3 attempts)",
  "Approved — to post".

Registered in ``apps.VehiclesConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.core.forms import KernFormMixin

from .constants import VEHICLE_SERVICES, ApplicationState, DispatchStatus, Item, Office, Transaction, TransferVariant
from .models import VehicleApplication
from .selectors import vehicle_service_ids
from .services import STAFF_REASON_MAX, reason_label


class RefuseForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing the application"),
        help_text=_("The citizen will see it, with the advice to come to the registration office."),
        max_length=STAFF_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reason for refusing the application. The citizen will see it.")},
    )


def _reasons(application: VehicleApplication) -> list[dict[str, str]]:
    rows = []
    for reason in application.reasons or []:
        if not isinstance(reason, Mapping):
            continue
        code, item, text = str(reason.get("code", "")), str(reason.get("item", "")), str(reason.get("text", ""))
        rows.append(
            {
                "code": code,
                "label": reason_label(code=code, text=text),
                "item": str(Item(item).label) if item in Item.values else item,
                "text": text,
            }
        )
    return rows


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def registry_panel_context(*, case: Any, application: VehicleApplication) -> dict[str, Any]:
    """What the panel shows and which actions it offers. Reads nothing from the registry."""
    state = application.state
    open_case = case.status not in CLOSED_STATUSES
    return {
        "case": case,
        "application": application,
        "state_label": ApplicationState(state).label,
        "transaction_label": Transaction(application.transaction).label,
        "variant_label": _label(TransferVariant, application.variant),
        "office_label": _label(Office, application.office),
        "dispatch_label": DispatchStatus(application.dispatch).label,
        "reasons": _reasons(application),
        "review": state == ApplicationState.REVIEW,
        "unavailable": state == ApplicationState.UNAVAILABLE,
        "can_approve": open_case and state == ApplicationState.REVIEW and bool(application.number),
        "can_refuse": open_case and state == ApplicationState.REVIEW,
        "can_resend": open_case
        and (
            state in (ApplicationState.UNAVAILABLE, ApplicationState.TO_SEND)
            or (state == ApplicationState.REVIEW and not application.number)
        ),
        "refuse_form": RefuseForm(prefix="refuse"),
    }


@case_hooks.staff_panel
def registry_panel(*, case: Any, user: Any) -> CasePanel | None:
    """The case's vehicle application: its state, the registry's answer, and what staff can do."""
    if case.service.slug not in VEHICLE_SERVICES:
        return None
    application = VehicleApplication.objects.filter(case=case).first()
    if application is None:
        return None
    return CasePanel(
        template="vehicles/_case_registry.html", context=registry_panel_context(case=case, application=application)
    )


@case_hooks.inbox_lines
def registry_inbox_lines(*, cases: Sequence[Any]) -> Mapping[str, str]:
    """A line for each open case whose application needs a person or waits for the post: one query per page
    that has such cases, none for a page without (the services' ids are kept, ``vehicle_service_ids``)."""
    if not cases:
        return {}
    ours = vehicle_service_ids()
    open_uuids = [case.uuid for case in cases if case.service_id in ours and case.status not in CLOSED_STATUSES]
    if not open_uuids:
        return {}
    rows = VehicleApplication.objects.filter(case__uuid__in=open_uuids).values_list(
        "case__uuid", "state", "attempts", "reasons", "dispatch"
    )
    lines = {}
    for case_uuid, state, attempts, reasons, dispatch in rows:
        if state == ApplicationState.REVIEW:
            first = reasons[0] if reasons and isinstance(reasons[0], Mapping) else {}
            why = reason_label(code=str(first.get("code", "")), text=str(first.get("text", ""))) if first else "–"
            lines[str(case_uuid)] = gettext("Registry: needs a decision — %(reason)s") % {"reason": why}
        elif state == ApplicationState.UNAVAILABLE:
            lines[str(case_uuid)] = ngettext(
                "Registry: not reachable (%(count)d attempt)", "Registry: not reachable (%(count)d attempts)", attempts
            ) % {"count": attempts}
        elif state == ApplicationState.APPROVED and dispatch == DispatchStatus.QUEUED:
            lines[str(case_uuid)] = gettext("Approved — to post")
    return lines
