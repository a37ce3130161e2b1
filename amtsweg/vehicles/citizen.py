"""What the citizen sees of a vehicle application on the confirmation and status pages (``cases.hooks``).

The registry's decision in words: approved (drive at once with the provisional proof, the documents follow by
post; or the vehicle is off the road), refused with the reasons (``reasons.py``), checked by the registration
office, or still on its way to the registry. The proof's PDF is offered on both pages (``citizen_documents``)
and downloaded through ``views.proof``, which checks the session's access like every status-page download.
Reads only: the hooks run on every display of the pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsweg.applications.journey import CitizenDocument, citizen_documents
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.core import dates

from . import proof
from .constants import (
    DEREGISTRATION_SERVICE,
    NEW_REGISTRATION_SERVICE,
    REREGISTRATION_SERVICE,
    TRANSFER_SERVICE,
    ApplicationState,
    DispatchStatus,
    Transaction,
)
from .models import VehicleApplication
from .reasons import reason_sentences
from .selectors import application_gets_seals

SERVICES = (DEREGISTRATION_SERVICE, NEW_REGISTRATION_SERVICE, TRANSFER_SERVICE, REREGISTRATION_SERVICE)
ON_THE_WAY = frozenset({ApplicationState.TO_SEND, ApplicationState.SENDING, ApplicationState.UNAVAILABLE})
# A case ended without the registry's decision (withdrawn; rejected by staff): the standard label says it.
ENDED_ELSEWHERE = frozenset({CaseStatus.WITHDRAWN, CaseStatus.REJECTED})


def application_of_case(*, case: Any) -> VehicleApplication | None:
    if case is None:
        return None
    return VehicleApplication.objects.filter(case_id=case.pk).first()


def proof_url(*, submission: Any) -> str:
    return reverse("vehicles:proof", kwargs={"uuid": submission.uuid})


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return dates.format_day(value)


@case_hooks.citizen_panel
def vehicle_panel(*, case: Any, submission: Any) -> CasePanel | None:
    """The registry's decision, or where the application stands, with the proof's PDF once approved."""
    if submission.service.slug not in SERVICES:
        return None
    application = application_of_case(case=case)
    if application is None:
        return None
    state = application.state
    context: dict[str, Any] = {
        "application": application,
        "plate": application.plate,
        "decided_on": _day(application.decided_at),
        "reasons": [],
    }
    if state == ApplicationState.APPROVED:
        deregistration = application.transaction == Transaction.DEREGISTRATION
        context.update(
            kind="deregistered" if deregistration else "approved",
            url=proof_url(submission=submission),
            ready=bool(application.proof_pdf),
            valid_until=_day(proof.valid_until_of(application=application)),
            expired=not deregistration and proof.valid_until_of(application=application) < timezone.localdate(),
            posted=application.dispatch == DispatchStatus.SENT,
            seals=not deregistration and application_gets_seals(application=application),
            posted_on=_day(application.dispatched_at),
            reservation=_reservation(application=application, submission=submission) if deregistration else "",
        )
    elif state == ApplicationState.REFUSED:
        if case is not None and case.status == CaseStatus.REJECTED and case.rejection_reason:
            return None  # the status page's own box says it: the reasons and what to do, in the citizen's words
        context.update(kind="refused", reasons=reason_sentences(reasons=application.reasons))
    elif state == ApplicationState.REVIEW:
        context.update(
            kind="review",
            reasons=reason_sentences(reasons=application.reasons),
            asked=case is not None and case.status == CaseStatus.WAITING,
        )
    elif state in ON_THE_WAY and (case is None or case.status not in ENDED_ELSEWHERE):
        context.update(kind="sending")
    else:
        return None
    return CasePanel(template="vehicles/_citizen_panel.html", context=context)


def _reservation(*, application: VehicleApplication, submission: Any) -> str:
    """The reserved plate and until when, in the page's language; "" without a reservation."""
    answers = submission.answers or {}
    if answers.get("reserve_plate") is not True:
        return ""
    until = dates.parse_iso_date((application.answer or {}).get("reserved_until"))
    if until is None and application.decided_at is not None:
        until = dates.add_months(timezone.localdate(application.decided_at), proof.RESERVATION_MONTHS)
    if until is None:
        return _("The plate %(plate)s is reserved for you.") % {"plate": application.plate}
    return _("The plate %(plate)s is reserved for you until %(day)s.") % {
        "plate": application.plate,
        "day": dates.format_day(until),
    }


@case_hooks.citizen_status
def vehicle_status(*, case: Any) -> str | None:
    """The case's state in the registry's terms: approved, posted, off the road, checked, on its way."""
    application = application_of_case(case=case)
    if application is None or case.status in ENDED_ELSEWHERE:
        return None
    state = application.state
    if state == ApplicationState.APPROVED:
        if application.transaction == Transaction.DEREGISTRATION:
            return _("Taken off the road")
        if application.dispatch == DispatchStatus.SENT:
            return _("Documents posted on %(day)s") % {"day": _day(application.dispatched_at)}
        return _("Approved: the documents follow by post")
    if case.status in (CaseStatus.COMPLETED,):
        return None
    if state == ApplicationState.REVIEW:
        return _("Being checked by the registration office")
    if state in ON_THE_WAY:
        return _("Being sent to the registration authority")
    return None


@case_hooks.closed_elsewhere
def vehicle_dispatch_closing(*, case: Any) -> str | None:
    """An approved registration is completed in the dispatch queue, when its documents are in the post."""
    application = application_of_case(case=case)
    if application is None or application.state != ApplicationState.APPROVED:
        return None
    if application.dispatch != DispatchStatus.QUEUED:
        return None
    return _(
        "The registration certificate part I and the plate seals are still to be posted. Mark them as posted in "
        "the dispatch queue: that completes the case and tells the citizen."
    )


def vehicle_documents(*, submission: Any) -> list[CitizenDocument]:
    """The proof's PDF (or the confirmation of the deregistration) once it is issued."""
    application = application_of_case(case=getattr(submission, "case", None))
    if application is None or application.state != ApplicationState.APPROVED or not application.proof_pdf:
        return []
    if application.transaction == Transaction.DEREGISTRATION:
        title = _("Confirmation of the deregistration (PDF)")
    else:
        title = _("Provisional proof of registration with the decision (PDF)")
    return [CitizenDocument(title=title, url=proof_url(submission=submission))]


for _service in SERVICES:
    citizen_documents.add(_service, vehicle_documents)
