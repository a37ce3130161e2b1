"""The postal dispatch of an approved registration: the registration certificate part I and the plate seals.

An approved new registration, transfer or re-registration enters the queue (``dispatch`` "queued", set with
the approval); the kfz department's staff post the documents and mark them as posted, one or several at
once. That records who posted them and when, completes the case, and tells the citizen ("Documents posted on
…", on the status page and by email). § 26(4) FZV: the documents must be in the post within six days of the
decision (``settings.VEHICLE_DOCUMENTS["dispatch_days"]``); the queue shows the oldest decision first and
marks what is overdue. Like the certificates' fulfilment queue (``civil_status``), only staff of the
department see it (superusers: all), and every list shown is audited.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtsweg.accounts.selectors import staff_department_slugs
from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction, CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.selectors import case_department_ids
from amtsweg.cases.services import audit_record, case_transition
from amtsweg.catalogue.models import Department

from .constants import ApplicationState, DispatchStatus
from .models import VehicleApplication
from .selectors import application_gets_seals

DEPARTMENT = "kfz"
SHOW = ("open", "sent")
# A case ended without its documents (withdrawn, or rejected by staff): nothing is posted.
NOT_POSTED_FOR = frozenset({CaseStatus.WITHDRAWN, CaseStatus.REJECTED})


# --- who may see it -----------------------------------------------------------------------------------------


def dispatch_allowed(*, user: Any) -> bool:
    """Whether ``user`` works on the dispatch queue (kfz staff, superusers), without a query of its own: the back
    office's menu asks on every page."""
    slugs = staff_department_slugs(user=user)
    return slugs is None or DEPARTMENT in slugs


def dispatch_department_ids(*, user: Any) -> set[int]:
    """The kfz department's id if the user works there (any superuser does), else nothing."""
    if not dispatch_allowed(user=user):
        return set()
    allowed = case_department_ids(user=user)
    ids = set(Department.objects.filter(slug=DEPARTMENT).values_list("pk", flat=True))
    return ids if allowed is None else ids & set(allowed)


def dispatch_check_access(*, user: Any) -> set[int]:
    """The kfz department's id; 403 for staff of other departments."""
    departments = dispatch_department_ids(user=user)
    if not departments:
        raise PermissionDenied
    return departments


# --- the queue ------------------------------------------------------------------------------------------------


def dispatch_due_on(application: VehicleApplication) -> datetime.date | None:
    """The day by which the documents must be in the post: the decision's day plus ``dispatch_days``."""
    if application.decided_at is None:
        return None
    days = int(settings.VEHICLE_DOCUMENTS["dispatch_days"])
    return timezone.localdate(application.decided_at) + datetime.timedelta(days=days)


def dispatch_is_overdue(application: VehicleApplication, *, today: datetime.date | None = None) -> bool:
    due = dispatch_due_on(application)
    return application.dispatch == DispatchStatus.QUEUED and due is not None and due < (today or timezone.localdate())


def dispatch_queue(*, user: Any, show: str = "open", office: str = "") -> QuerySet[VehicleApplication]:
    """The user's applications to post ("open": the oldest decision first) or posted ("sent": the latest first),
    of one office if ``office`` names one."""
    queryset = VehicleApplication.objects.filter(
        case__department_id__in=dispatch_department_ids(user=user), state=ApplicationState.APPROVED
    ).select_related("case", "case__service", "case__submission", "dispatched_by")
    if office:
        queryset = queryset.filter(office=office)
    if show == "sent":
        return queryset.filter(dispatch=DispatchStatus.SENT).order_by("-dispatched_at", "-id")
    return (
        queryset.filter(dispatch=DispatchStatus.QUEUED)
        .exclude(case__status__in=NOT_POSTED_FOR)
        .order_by("decided_at", "id")
    )


def dispatch_overdue_count(*, user: Any, office: str = "") -> int:
    days = int(settings.VEHICLE_DOCUMENTS["dispatch_days"])
    # Overdue from the day after the due day: decided before the start of (today - days).
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    cutoff = start_of_today - datetime.timedelta(days=days)
    return dispatch_queue(user=user, office=office).filter(decided_at__lt=cutoff).count()


@dataclass(frozen=True)
class DispatchEntry:
    """One row of the queue: the application, where to post it, by when."""

    application: VehicleApplication
    name: str
    address_lines: list[str] = field(default_factory=list)
    due_on: datetime.date | None = None
    overdue: bool = False
    seals: bool = True  # new plate seals go in the envelope (selectors.application_gets_seals)


def postal_address(*, answers: Mapping[str, Any], fallback_name: str = "") -> tuple[str, list[str]]:
    """The keeper's name and postal address as the eID gave them (the form's ``name`` and ``address``)."""
    name = answers.get("name")
    full = ""
    if isinstance(name, Mapping):
        full = " ".join(" ".join(str(name.get(k) or "") for k in ("given_names", "family_name")).split())
    address = answers.get("address")
    lines: list[str] = []
    if isinstance(address, Mapping):
        street = " ".join(filter(None, [str(address.get("street") or ""), str(address.get("number") or "")]))
        town = " ".join(filter(None, [str(address.get("postcode") or ""), str(address.get("town") or "")]))
        lines = [line for line in (street, town) if line]
    return full or fallback_name, lines


def dispatch_entries(
    applications: Iterable[VehicleApplication], *, today: datetime.date | None = None
) -> list[DispatchEntry]:
    today = today or timezone.localdate()
    entries = []
    for application in applications:
        name, lines = postal_address(
            answers=application.case.submission.answers or {}, fallback_name=application.case.applicant_name
        )
        entries.append(
            DispatchEntry(
                application=application,
                name=name,
                address_lines=lines,
                due_on=dispatch_due_on(application),
                overdue=dispatch_is_overdue(application, today=today),
                seals=application_gets_seals(application=application),
            )
        )
    return entries


# --- marking as posted ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchResult:
    posted: list[str]  # reference numbers marked as posted now
    already: list[str]  # reference numbers someone had marked before
    not_postable: list[str]  # reference numbers whose case ended without the documents


def dispatch_selection(values: Sequence[str]) -> list[uuid_module.UUID]:
    """The valid application ids among the posted values (each once, in order); malformed ones are dropped."""
    found: list[uuid_module.UUID] = []
    for value in values:
        try:
            key = uuid_module.UUID(str(value).strip())
        except ValueError:
            continue
        if key not in found:
            found.append(key)
    return found


def dispatch_mark_posted(*, uuids: Sequence[uuid_module.UUID], actor: Any) -> DispatchResult:
    """ "Versandt": the documents of these applications are in the post. Each one records who and when, its
    case is completed with a message to the citizen, and it is audited. An application already marked (by
    someone else meanwhile) is left as it is and named in the result, as is one whose case ended without the
    documents. ``CaseError`` when nothing was selected or none of the selection is the user's to post."""
    if not uuids:
        raise CaseError(_("Select at least one application whose documents you have posted."))
    departments = dispatch_check_access(user=actor)
    posted: list[str] = []
    already: list[str] = []
    not_postable: list[str] = []
    with transaction.atomic():
        applications = list(
            VehicleApplication.objects.select_for_update(of=("self",))
            .select_related("case", "case__submission")
            .filter(uuid__in=uuids, case__department_id__in=departments, state=ApplicationState.APPROVED)
            .exclude(dispatch=DispatchStatus.NONE)
            .order_by("decided_at", "id")
        )
        if not applications:
            raise CaseError(_("The selected applications were not found. Reload the page and try again."))
        now = timezone.now()
        for application in applications:
            case = application.case
            if application.dispatch == DispatchStatus.SENT:
                already.append(case.reference)
                continue
            if case.status in NOT_POSTED_FOR:
                not_postable.append(case.reference)
                continue
            application.dispatch = DispatchStatus.SENT
            application.dispatched_at = now
            application.dispatched_by = actor if getattr(actor, "is_authenticated", False) else None
            application.save(update_fields=["dispatch", "dispatched_at", "dispatched_by", "updated_at"])
            _case_complete(application=application, actor=actor)
            audit_record(actor=actor, action=AuditAction.CHANGE_STATUS, case=case, detail="Kfz: Unterlagen versandt")
            posted.append(case.reference)
    return DispatchResult(posted=posted, already=already, not_postable=not_postable)


def _case_complete(*, application: VehicleApplication, actor: Any) -> None:
    """Complete the case (through "in progress" if nobody had picked it up), telling the citizen."""
    case = application.case
    if case.status in CLOSED_STATUSES:
        return  # completed on the case page before: the dispatch is recorded, the citizen was told then
    if case.status == CaseStatus.RECEIVED:  # the completion's email says it all: the step between sends nothing
        case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor, notify=False)
    with translation.override(case.submission.language or settings.LANGUAGE_CODE):
        if application_gets_seals(application=application):
            message = _(
                "We have posted the registration certificate part I and the plate seals to you. Stick the seals on "
                "the front and the rear number plate. From then on, keep the registration certificate part I in the "
                "vehicle instead of the provisional proof."
            )
        else:
            message = _(
                "We have posted the registration certificate part I to you. From then on, keep it in the vehicle "
                "instead of the provisional proof."
            )
    application.case = case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor, message=message)
