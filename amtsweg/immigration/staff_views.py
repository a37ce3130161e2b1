"""The immigration office's staff triage: the list of contact requests (the permit that expires soonest first),
the day's call list, and the three outcomes of the case page's triage section.

Staff of the immigration department only (403 for others). Every display of personal data is audited, one
entry per case shown, like the case page. ``CaseError`` from a service is answered by the middleware.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.models import Case
from amtsweg.cases.selectors import case_get_for_staff
from amtsweg.cases.services import audit_record
from amtsweg.core import dates
from amtsweg.core.http import see_other

from . import triage, triage_selectors
from .hooks import triage_panel_context
from .triage_forms import CallResultForm, CallWindowForm, DocumentsForm

PAGE_SIZE = 50
ACTIONS = ("phone", "result", "appointment", "documents")


def _audit_shown(*, user: Any, cases: list[Case], what: str) -> None:
    for case in cases:
        audit_record(actor=user, action=AuditAction.VIEW_CASE, case=case, detail=what)


# --- the triage list ------------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def triage_list(request: HttpRequest) -> HttpResponse:
    """The open contact requests (``?alle=1``: closed ones too), the residence permit that expires soonest first."""
    include_closed = request.GET.get("alle") == "1"
    cases = triage_selectors.triage_list(user=request.user, include_closed=include_closed)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    _audit_shown(user=request.user, cases=shown, what="Zuwanderung: Liste der Anfragen")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "immigration/staff/triage_list.html",
        {
            "requests": [triage_selectors.request_of(case) for case in shown],
            "page": page,
            "paginator": page.paginator,
            "query": query.urlencode(),
            "include_closed": include_closed,
            "today": timezone.localdate(),
        },
    )


# --- the call list ----------------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    """The phone consultations of one day (``?tag=YYYY-MM-DD``, today by default): times, numbers, names and
    languages, each with its case and result."""
    triage_selectors.triage_check_access(user=request.user)
    today = timezone.localdate()
    day, error = today, ""
    if request.GET.get("tag"):
        try:
            day = dates.parse_day(request.GET["tag"], within=dates.DateRange(dates.CALENDAR_FIRST, dates.CALENDAR_LAST))
        except dates.DateInputError:
            error = _("Enter the day as a date like %(example)s.") % {"example": today.isoformat()}
    calls = triage_selectors.call_list(user=request.user, day=day)
    _audit_shown(user=request.user, cases=[call.case for call in calls], what="Zuwanderung: Anrufliste")
    return render(
        request,
        "immigration/staff/call_list.html",
        {
            "calls": calls,
            "day": day,
            "raw_day": request.GET.get("tag", "") if error else day.isoformat(),
            "error": error,
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
        },
        status=400 if error else 200,
    )


# --- the outcomes on the case page -----------------------------------------------------------------------------


def _triage_case(request: HttpRequest, uuid: Any) -> Case:
    case = case_get_for_staff(user=request.user, uuid=uuid)
    if not triage.is_contact_request(case):
        raise Http404("Not a contact request to the immigration office.")
    return case


@staff_required
@require_http_methods(["GET", "POST"])
def triage_action(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One outcome of the triage (the case page's section posts here); a form with an error is shown again on
    this page with the same section. Staff of the case's department only (``case_get_for_staff``)."""
    case = _triage_case(request, uuid)
    case_url = reverse("cases:case_detail", kwargs={"uuid": case.uuid})
    bound: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise Http404("Unknown action.")
        user = request.user
        if action == "phone":
            form: Any = CallWindowForm(request.POST, prefix=action)
            if form.is_valid():
                data = form.cleaned_data
                triage.triage_phone_schedule(
                    case=case, actor=user, day=data["day"], start=data["start"], end=data["end"]
                )
                messages.success(request, _("The call is planned and the citizen was told when."))
                return see_other(case_url)
        elif action == "result":
            form = CallResultForm(request.POST, prefix=action)
            if form.is_valid():
                triage.triage_call_result(
                    case=case, actor=user, result=form.cleaned_data["result"], note=form.cleaned_data["note"]
                )
                messages.success(request, _("The result of the call was noted."))
                return see_other(case_url)
        elif action == "appointment":
            triage.triage_appointment_offer(case=case, actor=user)
            messages.success(request, _("The citizen was sent the link to book an appointment."))
            return see_other(case_url)
        else:
            form = DocumentsForm(request.POST, request.FILES, prefix=action)
            if form.is_valid():
                triage.triage_documents_send(
                    case=case, actor=user, files=form.cleaned_data["files"], note=form.cleaned_data["text"]
                )
                messages.success(request, _("The documents were sent and the case completed."))
                return see_other(case_url)
        bound[action] = form
    audit_record(actor=request.user, action=AuditAction.VIEW_CASE, case=case, detail="Zuwanderung: Triage")
    context = triage_panel_context(case=case, bound=bound)
    return render(
        request,
        "immigration/staff/triage_action.html",
        {"case": case, "panel": context, "errors": context["errors"]},
        status=400 if bound else 200,
    )
