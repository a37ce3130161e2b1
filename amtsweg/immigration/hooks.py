"""What the immigration office's staff triage adds to the back office (``cases.hooks``): the triage row of a new
contact request, its line in the inbox, the triage section of its case page, its anonymous figures when it
closes and their section of the figures page. Registered in ``apps.ImmigrationConfig.ready``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.core.forms import form_error_list

from . import triage, triage_selectors
from .models import ImmigrationTriage
from .triage_constants import SERVICE, Outcome
from .triage_forms import CallResultForm, CallWindowForm, DocumentsForm

if TYPE_CHECKING:
    from amtsweg.cases.models import Case


@case_hooks.on_open
def triage_open(*, case: Any) -> None:
    """A new contact request gets its triage row (topic, expiry, preferred contact from the answers)."""
    if triage.is_contact_request(case):
        triage.triage_record(case=case)


@case_hooks.inbox_lines
def triage_inbox_lines(*, cases: Sequence[Any]) -> Mapping[str, str]:
    """Topic, language, preferred contact and the permit's expiry with the days left, one query per page."""
    return triage_selectors.inbox_lines(cases=cases)


@case_hooks.staff_panel
def triage_panel(*, case: Any, user: Any) -> CasePanel | None:
    """The request at a glance and the three outcomes (the case page's display is audited by the case page)."""
    if not triage.is_contact_request(case):
        return None
    return CasePanel(template="immigration/staff/_triage_panel.html", context=triage_panel_context(case=case))


def triage_panel_context(*, case: Case, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The triage section of the case page: the request at a glance, the outcome so far and the forms."""
    bound = bound or {}
    row = ImmigrationTriage.objects.filter(case_id=case.pk).first()
    request = triage_selectors.Request(case=case, triage=row, answers=case.submission.answers or {})
    call_planned = row is not None and row.outcome == Outcome.PHONE and row.call_starts_at is not None
    return {
        "case": case,
        "request": request,
        "triage": row,
        "open": case.status not in CLOSED_STATUSES,
        "call_planned": call_planned,
        "result_open": call_planned and row is not None and not row.call_result,
        "forms": {
            "phone": bound.get("phone") or CallWindowForm(prefix="phone"),
            "result": bound.get("result") or CallResultForm(prefix="result"),
            "documents": bound.get("documents") or DocumentsForm(prefix="documents"),
        },
        "errors": form_error_list(bound) if bound else [],
    }


@case_hooks.statistics
def triage_figures(*, case: Any) -> Mapping[str, Any]:
    """Topic, outcome and hours to the first contact for the anonymous statistics record."""
    if case.service.slug != SERVICE:
        return {}
    return triage.triage_statistics(case=case)


@case_hooks.figures
def triage_figures_section(*, user: Any, department_ids: Any) -> CasePanel | None:
    """The counts per topic and outcome and the time to the first contact, for the immigration office's leads."""
    from amtsweg.catalogue.models import Service
    from amtsweg.statistics.selectors import case_record_details

    if not triage_selectors.triage_department_ids(user=user):
        return None
    service = Service.objects.filter(slug=SERVICE).only("pk").first()
    if service is None:
        return None
    records = case_record_details(service_id=service.pk, department_ids=department_ids)
    return CasePanel(
        template="immigration/staff/_figures.html",
        context={"figures": triage_selectors.triage_figures(records=records)},
    )
