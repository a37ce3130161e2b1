"""Writes of the immigration office's staff triage: each contact request ends in a phone consultation, an
appointment or documents sent, each one click with a short message to the citizen in their language.

The messages go through ``cases.services`` (``case_message_send``, ``case_transition``), so the citizen sees them
on the status page and gets them by email; every outcome is audited there and recorded on the case's
``ImmigrationTriage``. Refusals raise ``CaseError``, which the middleware answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amtsweg.appointments.errors import AppointmentError
from amtsweg.appointments.selectors import bookable_open
from amtsweg.appointments.services import booking_invite
from amtsweg.cases import services as case_services
from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction, CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import Case
from amtsweg.core.i18n import language_or_default

from . import triage_messages
from .models import ImmigrationTriage
from .triage_constants import LOCATION, SERVICE, CallResult, ContactPreference, Outcome, Topic

MAX_NOTE = 2000
# A call window lies within a working day's telephone hours (the contact form's call times are 8 to 16).
CALL_DAY_START = datetime.time(7, 0)
CALL_DAY_END = datetime.time(19, 0)
CALL_WINDOW_MOST = datetime.timedelta(hours=4)


# --- what the request says --------------------------------------------------------------------------------


def permit_expiry_of(answers: Mapping[str, Any]) -> datetime.date | None:
    """The residence permit's expiry from the answers (an ISO date), or None when absent or not a date."""
    value = answers.get("permit_expiry")
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _facts(case: Case) -> dict[str, Any]:
    answers = case.submission.answers or {}
    topic = answers.get("topic")
    contact = answers.get("contact_preference")
    return {
        "topic": topic if topic in Topic.values else "",
        "permit_expiry": permit_expiry_of(answers),
        "contact_preference": contact if contact in ContactPreference.values else "",
    }


def triage_record(*, case: Case) -> ImmigrationTriage:
    """The case's triage row, made from its answers if it has none yet. Idempotent (``case_hooks.on_open``)."""
    triage, _created = ImmigrationTriage.objects.get_or_create(case=case, defaults=_facts(case))
    return triage


def is_contact_request(case: Any) -> bool:
    return case is not None and case.service.slug == SERVICE


# --- helpers ----------------------------------------------------------------------------------------------


def _open_triage(*, case: Case, actor: Any) -> tuple[Case, ImmigrationTriage]:
    """The case (refreshed) and its triage row, locked; refused for another service or a closed case."""
    if not is_contact_request(case):
        raise CaseError(_("Only contact requests to the immigration office are triaged here."))
    triage_record(case=case)
    triage = ImmigrationTriage.objects.select_for_update().get(case_id=case.pk)
    case = Case.objects.select_related("service", "department", "submission").get(pk=case.pk)
    if case.status in CLOSED_STATUSES:
        raise CaseError(_("This case is closed; its triage can no longer be changed."))
    return case, triage


def _start_work(*, case: Case, actor: Any) -> Case:
    """A request that is still "received" is in progress from its first outcome on."""
    if case.status == CaseStatus.RECEIVED:
        case = case_services.case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
    return case


def _audit(*, case: Case, actor: Any, detail: str) -> None:
    case_services.audit_record(actor=actor, action=AuditAction.TRIAGE, case=case, detail=detail)


def _decided(triage: ImmigrationTriage, outcome: str, *, contact: bool = True) -> None:
    now = timezone.now()
    triage.outcome = outcome
    triage.outcome_at = now
    if contact and triage.first_contact_at is None:
        triage.first_contact_at = now


def _in_language(case: Case) -> Any:
    """Texts for the citizen in the language of their request (German where the portal lacks it)."""
    return translation.override(language_or_default(case.submission.language))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise CaseError(_("The note is too long: at most 2,000 characters."))
    return note


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _absolute(path: str) -> str:
    return settings.PORTAL.get("base_url", "http://127.0.0.1:8000").rstrip("/") + path


# --- the phone consultation --------------------------------------------------------------------------------


def call_window_check(*, day: datetime.date, start: datetime.time, end: datetime.time) -> None:
    """Refuse a call window that is not a later time of today or a future day, within telephone hours."""
    if end <= start:
        raise CaseError(_("The end of the call window must be after its start."))
    if start < CALL_DAY_START or end > CALL_DAY_END:
        raise CaseError(_("Choose a call window between 7:00 and 19:00."))
    begins = timezone.make_aware(datetime.datetime.combine(day, start))
    ends = timezone.make_aware(datetime.datetime.combine(day, end))
    if ends - begins > CALL_WINDOW_MOST:
        raise CaseError(_("A call window is at most 4 hours long."))
    if ends <= timezone.now():
        raise CaseError(_("The call window is already over: choose a later time."))


def triage_phone_schedule(
    *, case: Case, actor: Any, day: datetime.date, start: datetime.time, end: datetime.time
) -> ImmigrationTriage:
    """Plan a phone consultation: the citizen is told in their language when they will be called, and the call
    is on the day's call list. Planning again (e.g. after a call that did not reach them) moves the window."""
    call_window_check(day=day, start=start, end=end)
    with transaction.atomic():
        case, triage = _open_triage(case=case, actor=actor)
        answers = case.submission.answers or {}
        phone = str(answers.get("phone") or "").strip()
        if not phone:
            raise CaseError(_("The request gives no phone number: choose another outcome."))
        case = _start_work(case=case, actor=actor)
        triage.call_starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
        triage.call_ends_at = timezone.make_aware(datetime.datetime.combine(day, end))
        triage.call_result = ""
        triage.calls += 1
        _decided(triage, Outcome.PHONE)
        triage.save()
        _audit(case=case, actor=actor, detail=f"phone {day.isoformat()} {start:%H:%M}-{end:%H:%M}")
        with _in_language(case):
            text = triage_messages.call_planned(day=day, start=start, end=end, phone=phone)
        case_services.case_message_send(case=case, actor=actor, text=text)
        return triage


def triage_call_result(*, case: Case, actor: Any, result: str, note: str = "") -> ImmigrationTriage:
    """Note the result of the planned call. Reached: the consultation is done and the case completed. Not
    reached: the citizen is told, and staff choose the next outcome (another call, an appointment or
    documents). The note is an internal note of the case."""
    if result not in CallResult.values:
        raise CaseError(_("Choose whether the citizen was reached."))
    note = _clean_note(note)
    with transaction.atomic():
        case, triage = _open_triage(case=case, actor=actor)
        if triage.outcome != Outcome.PHONE or triage.call_starts_at is None:
            raise CaseError(_("No call is planned for this case."))
        if triage.call_result:
            raise CaseError(_("The result of this call is already noted."))
        triage.call_result = result
        triage.save(update_fields=["call_result"])
        _audit(case=case, actor=actor, detail=f"call result: {result}")
        label = CallResult(result).label
        window = _local(triage.call_starts_at)
        case_services.case_note_add(
            case=case,
            actor=actor,
            text=f"{gettext('Call')} {formats.date_format(window, 'SHORT_DATETIME_FORMAT')}: {label}"
            + (f"\n{note}" if note else ""),
        )
        if result == CallResult.REACHED:
            case_services.case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)
        else:
            with _in_language(case):
                text = triage_messages.call_missed(day=window.date())
            case_services.case_message_send(case=case, actor=actor, text=text)
        return triage


# --- the appointment ------------------------------------------------------------------------------------------


def triage_appointment_offer(*, case: Case, actor: Any) -> ImmigrationTriage:
    """Invite the citizen to book an appointment at the immigration office, at the times kept for such requests
    (the place's bookable service, booked only with the case's link): the message carries the link and the
    status page offers it."""
    with transaction.atomic():
        case, triage = _open_triage(case=case, actor=actor)
        bookable = bookable_open(location=LOCATION, service=SERVICE)
        if bookable is None:
            raise CaseError(
                _("The immigration office takes no online bookings for contact requests: set it up in the admin.")
            )
        case = _start_work(case=case, actor=actor)
        try:
            path = booking_invite(case=case, location=LOCATION, service=SERVICE, actor=actor)
        except AppointmentError as exc:  # the appointments module's refusal, in this module's one error type
            raise CaseError(exc.message) from exc
        _decided(triage, Outcome.APPOINTMENT)
        triage.save()
        _audit(case=case, actor=actor, detail="appointment: booking link sent")
        with _in_language(case):
            text = triage_messages.appointment_offered(
                place=bookable.location.name, minutes=bookable.duration_minutes, url=_absolute(path)
            )
        case_services.case_message_send(case=case, actor=actor, text=text)
        return triage


# --- documents sent --------------------------------------------------------------------------------------------


def triage_documents_send(*, case: Case, actor: Any, files: Sequence[Any], note: str = "") -> ImmigrationTriage:
    """Send the citizen the documents for their request (attachments on the status page, announced by email)
    and complete the case."""
    if not files:
        raise CaseError(_("Choose the documents to send."))
    note = _clean_note(note)
    with transaction.atomic():
        case, triage = _open_triage(case=case, actor=actor)
        case = _start_work(case=case, actor=actor)
        _decided(triage, Outcome.DOCUMENTS)
        triage.save()
        _audit(case=case, actor=actor, detail=f"documents: {len(files)} sent")
        with _in_language(case):
            text = triage_messages.documents_sent()
        if note:
            text += "\n\n" + note
        case_services.case_message_send(case=case, actor=actor, text=text, files=files)
        case_services.case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)
        return triage


# --- the anonymous figures -----------------------------------------------------------------------------------


def triage_statistics(*, case: Case) -> dict[str, Any]:
    """The request's topic, outcome (and a call's result) and the plain hours (calendar time, not working
    hours) from receipt to the first contact, for the anonymous statistics record: codes and numbers only."""
    triage = ImmigrationTriage.objects.filter(case_id=case.pk).first()
    if triage is None:
        triage = ImmigrationTriage(case=case, **_facts(case))
    details: dict[str, Any] = {"topic": triage.topic or "", "outcome": triage.outcome or ""}
    if triage.call_result:
        details["call_result"] = triage.call_result
    submitted = case.submission.submitted_at
    if triage.first_contact_at is not None and submitted is not None:
        hours = (triage.first_contact_at - submitted).total_seconds() / 3600
        details["hours_to_first_contact"] = round(max(hours, 0.0), 1)
    return details
