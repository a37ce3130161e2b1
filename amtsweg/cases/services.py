"""Writes of the back office: opening a case, moving it on, assigning, notes, messages, the audit log.

Every write runs in ``transaction.atomic()`` with the case row locked by
``select_for_update()``, so two staff members acting at once cannot both move
the same case. Refusals raise ``CaseError``; the middleware answers them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtsweg.core.workdays import due_date, working_days_between
from amtsweg.notifications.services import notify_case_event

from .constants import CLOSED_STATUSES, TRANSITIONS, AuditAction, CaseStatus, ChecklistDecision, EventKind
from .errors import CaseError
from .hooks import case_hooks
from .models import AuditEntry, Case, CaseEvent, ChecklistTick, DocumentRequest, ProcessingRule
from .selectors import (
    DEFAULT_DEADLINE_DAYS,
    case_checklist,
    case_department_ids,
    extra_states_of,
    processing_rule_in_force,
)

if TYPE_CHECKING:
    from amtsweg.accounts.models import User
    from amtsweg.applications.models import StoredFile, Submission
    from amtsweg.catalogue.models import Service

logger = logging.getLogger(__name__)

# Extra states are entered from these and left to these (or to another extra state).
EXTRA_STATE_ENTRY = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.WAITING})
EXTRA_STATE_EXIT = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})
MAX_TEXT = 10_000


# --- the audit log ----------------------------------------------------------------


def audit_record(
    *, actor: Any, action: str, case: Case | None = None, detail: str = "", by_citizen: bool = False
) -> AuditEntry:
    """Append one entry to the audit log: who (``actor``, None for the system or a citizen) did what to which case.

    Without a staff member the entry is the citizen's when ``by_citizen`` (or the status page was viewed),
    else the system's."""
    known = actor is not None and getattr(actor, "is_authenticated", False)
    anonymous = "citizen" if by_citizen or action == AuditAction.VIEW_STATUS_PAGE else "system"
    label = actor.get_username() if known else anonymous
    return AuditEntry.objects.create(
        actor=actor if known else None,
        actor_label=label[:150],
        action=action,
        case_uuid=case.uuid if case else None,
        case_reference=case.reference if case else "",
        department_id=case.department_id if case else None,
        detail=(detail or "")[:500],
    )


# --- helpers ----------------------------------------------------------------------


def _locked(case: Case) -> Case:
    # "of self": lock the case row only, not the service and department rows joined for reading.
    return Case.objects.select_for_update(of=("self",)).select_related("service", "department").get(pk=case.pk)


def _check_actor(actor: Any, case: Case) -> None:
    """Defence in depth: views already fetch cases through the selectors, which apply the same rule."""
    if actor is None:
        return
    allowed = case_department_ids(user=actor)
    if allowed is not None and case.department_id not in allowed:
        raise CaseError(_("You may only work on cases of your own departments."))


def _clean_text(text: str, *, message: Any) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseError(message)
    if len(text) > MAX_TEXT:
        raise CaseError(_("The text is too long: at most 10,000 characters."))
    return text


def _display_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- processing rules -------------------------------------------------------------


def processing_rule_set(
    *,
    service: Service,
    valid_from: datetime.date,
    deadline_days: int | None = None,
    working_days: bool | None = None,
    retention_days: int | None = None,
    extra_states: list[dict[str, Any]] | None = None,
) -> ProcessingRule:
    """The service's processing rule from ``valid_from`` on, created with these values if it does not exist yet.

    Values left out take the model's defaults. A rule that already exists for that date is left as it is: the
    form files that call this are loaded again on every deploy, and an admin's later change must win.
    """
    given = {
        "deadline_days": deadline_days,
        "working_days": working_days,
        "retention_days": retention_days,
        "extra_states": extra_states,
    }
    rule, _created = ProcessingRule.objects.get_or_create(
        service=service,
        valid_from=valid_from,
        defaults={name: value for name, value in given.items() if value is not None},
    )
    return rule


# --- opening a case ---------------------------------------------------------------


def case_due_at(*, service: Any, received: datetime.date) -> datetime.datetime:
    """The end of the last day of the processing deadline in force on ``received``."""
    rule = processing_rule_in_force(service=service, on=received)
    days = rule.deadline_days if rule else DEFAULT_DEADLINE_DAYS
    working_days = rule.working_days if rule else True
    last_day = due_date(received=received, days=days, working_days=working_days)
    return timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(23, 59, 59)))


def case_open(*, submission: Submission) -> Case:
    """Open the case of a new submission, in the service's department. Idempotent: a second call returns the case.

    Called by the applications engine inside the submission's transaction.
    """
    with transaction.atomic():
        existing = Case.objects.filter(submission=submission).first()
        if existing is not None:
            return existing
        service = submission.service
        received = timezone.localdate(submission.submitted_at) if submission.submitted_at else timezone.localdate()
        case = Case.objects.create(
            submission=submission,
            reference=submission.reference,
            service=service,
            department_id=service.department_id,
            status=CaseStatus.RECEIVED,
            applicant_name=submission.applicant_name,
            due_at=case_due_at(service=service, received=received),
        )
        CaseEvent.objects.create(
            case=case, kind=EventKind.SUBMITTED, to_status=CaseStatus.RECEIVED, visible_to_citizen=True
        )
        case.statistics_record = case_statistics_record_open(case=case, received=received)
        case.save(update_fields=["statistics_record"])
        _checklist_counts_update(case)
        case_hooks.opened(case=case)  # e.g. a certificate order enters the Standesamt's queue
        return case


# --- moving a case on ---------------------------------------------------------------


def case_allowed_transitions(*, case: Case) -> list[str]:
    """The states this case may move to now: the standard moves plus the service's extra states."""
    rule = processing_rule_in_force(service=case.service)
    extra = [key for key in extra_states_of(rule) if key not in CaseStatus.values]
    current = case.status
    if current in TRANSITIONS:
        targets = [str(s) for s in CaseStatus.values if s in TRANSITIONS[current]]
        if current in EXTRA_STATE_ENTRY:
            targets += [key for key in extra if key not in targets]
        return targets
    # An extra state (also one that a newer rule no longer lists): onwards to the end or another extra state.
    return [str(s) for s in CaseStatus.values if s in EXTRA_STATE_EXIT] + [key for key in extra if key != current]


def case_transition(
    *,
    case: Case,
    to_status: str,
    actor: Any,
    reason: str = "",
    message: str = "",
    files: Sequence[Any] = (),
    notify: bool = True,
) -> Case:
    """Move the case to ``to_status``, if allowed. A rejection needs a reason, which the citizen sees.

    ``message``, only with a move to "completed", is what the citizen is told with it (e.g. the answer to a
    request): shown with the new state on the status page and carried by the completion email, so that the
    citizen gets one email rather than a message and then the completion. ``files``, only with a completion,
    are the documents issued with it (e.g. a certificate): attached to the event, so the status page offers
    them, and to the completion email. ``notify=False``: no email for the move (the status page shows it),
    for a service that has just told the citizen more in a message of its own in the same transaction.
    """
    if (message or files) and to_status != CaseStatus.COMPLETED:
        raise ValueError("Only a completion carries a message or files; a rejection carries its reason.")
    reason_given = reason
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        if to_status not in case_allowed_transitions(case=case):
            raise CaseError(_("This case cannot be moved to that status from its current status."))
        # Only a rejection (its reason) and a completion (its message) carry a text: what the citizen is told.
        reason = _clean_text(message, message=_("Enter the message.")) if message else ""
        if to_status == CaseStatus.REJECTED:
            reason = _clean_text(
                reason_given, message=_("Enter the reason for the rejection. The citizen will see it.")
            )
            case.rejection_reason = reason
        from_status = case.status
        # A service module may act on the decision (e.g. write it to a register) or refuse it (CaseError).
        case_hooks.status_changing(case=case, from_status=from_status, to_status=to_status, actor=actor)
        case.status = to_status
        if to_status in CLOSED_STATUSES:
            case.closed_at = timezone.now()
            case_statistics_record_close(case=case)
        case.save(update_fields=["status", "closed_at", "rejection_reason", "statistics_record", "updated_at"])
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.STATUS,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            text=reason,
            visible_to_citizen=True,
        )
        if files:
            event.attachments.add(*_store_files(case=case, files=files, actor=actor))
        audit_record(actor=actor, action=AuditAction.CHANGE_STATUS, case=case, detail=f"{from_status} → {to_status}")
        # The citizen's email is queued in this transaction (notifications' outbox): both or neither.
        if notify:
            notify_case_event(case=case, event=event)
        return case


# --- assignment ---------------------------------------------------------------------


def _check_assignee(assignee: Any, case: Case) -> None:
    if assignee is None:
        return
    if not assignee.is_active or not assignee.departments.filter(pk=case.department_id).exists():
        raise CaseError(_("Cases can only be assigned to staff of the case's department."))


def _assign_locked(*, case: Case, assignee: Any, actor: Any) -> bool:
    _check_actor(actor, case)
    _check_assignee(assignee, case)
    if case.assignee_id == (assignee.pk if assignee else None):
        return False
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    CaseEvent.objects.create(case=case, kind=EventKind.ASSIGNED, actor=actor, text=_display_name(assignee))
    detail = f"→ {assignee.get_username()}" if assignee else "→ -"
    audit_record(actor=actor, action=AuditAction.ASSIGN, case=case, detail=detail)
    return True


def case_assign(*, case: Case, assignee: User | None, actor: Any) -> Case:
    """Assign the case to a staff member of its department, or unassign it with ``assignee=None``."""
    with transaction.atomic():
        case = _locked(case)
        _assign_locked(case=case, assignee=assignee, actor=actor)
        return case


def case_assign_bulk(*, cases: Iterable[Case], assignee: User | None, actor: Any) -> int:
    """Assign several cases at once; all or none. Returns how many changed."""
    ids = [case.pk for case in cases]
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        return sum(_assign_locked(case=case, assignee=assignee, actor=actor) for case in locked)


# --- notes, messages, documents -----------------------------------------------------------


def case_note_add(*, case: Case, actor: Any, text: str) -> CaseEvent:
    """An internal note; the citizen never sees it."""
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        text = _clean_text(text, message=_("Enter the note."))
        event = CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor=actor, text=text)
        audit_record(actor=actor, action=AuditAction.ADD_NOTE, case=case)
        return event


def _store_files(*, case: Case, files: Sequence[Any], actor: Any) -> list[StoredFile]:
    """Store uploads through the applications' file store; StoredFile rows pass through as they are."""
    from amtsweg.applications.errors import ApplicationError
    from amtsweg.applications.files import file_store
    from amtsweg.applications.models import StoredFile

    stored = []
    for upload in files:
        if isinstance(upload, StoredFile):
            stored.append(upload)
            continue
        try:
            stored.append(file_store(upload=upload, submission=case.submission, staff=actor))
        except ApplicationError as exc:  # the file store's refusal, in this module's one error type
            raise CaseError(exc.message) from exc
    return stored


def case_message_send(*, case: Case, actor: Any, text: str, files: Sequence[Any] = ()) -> CaseEvent:
    """A message to the citizen, shown on the status page and announced by email; files are attached."""
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        text = _clean_text(text, message=_("Enter the message."))
        stored = _store_files(case=case, files=files, actor=actor)
        event = CaseEvent.objects.create(
            case=case, kind=EventKind.MESSAGE, actor=actor, text=text, visible_to_citizen=True
        )
        if stored:
            event.attachments.add(*stored)
        names = ", ".join(f.original_name for f in stored)
        audit_record(actor=actor, action=AuditAction.SEND_MESSAGE, case=case, detail=names)
        # The citizen's email is queued in this transaction (notifications' outbox): both or neither.
        notify_case_event(case=case, event=event)
        return event


def case_documents_request(*, case: Case, actor: Any, text: str) -> DocumentRequest:
    """Ask the citizen for documents. A case in progress waits for the citizen from now on."""
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        if case.status in CLOSED_STATUSES:
            raise CaseError(_("Documents cannot be requested for a closed case."))
        text = _clean_text(text, message=_("Enter which documents the citizen should send."))
        return _document_request_create(case=case, actor=actor, text=text)


def _document_request_create(*, case: Case, actor: Any, text: str, documents: Sequence[str] = ()) -> DocumentRequest:
    """The request on the locked, open ``case``: a case in progress waits for the citizen from now on; the
    request is in the history, audited and sent to the citizen by email."""
    request = DocumentRequest.objects.create(case=case, text=text, requested_by=actor, documents=list(documents))
    from_status = case.status
    if case.status == CaseStatus.IN_PROGRESS:
        case.status = CaseStatus.WAITING
        case.save(update_fields=["status", "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.DOCUMENT_REQUEST,
        actor=actor,
        from_status=from_status if case.status != from_status else "",
        to_status=case.status if case.status != from_status else "",
        text=text,
        visible_to_citizen=True,
    )
    audit_record(actor=actor, action=AuditAction.REQUEST_DOCUMENTS, case=case, detail=", ".join(documents))
    # The citizen's email is queued in this transaction (notifications' outbox): both or neither.
    notify_case_event(case=case, event=event)
    return request


MAX_CITIZEN_ANSWER = 2000


def case_citizen_upload(*, document_request: DocumentRequest, files: Sequence[Any], text: str = "") -> DocumentRequest:
    """The citizen's answer to a document request or question: a text, files or both; the request fulfilled,
    the case back in progress.

    ``files`` are uploads (stored through ``applications.files.file_store``) or
    StoredFile rows the caller has already stored.
    """
    from amtsweg.applications.formengine.fields import strip_controls

    text = strip_controls(text or "", multiline=True).strip()
    if not files and not text:
        raise CaseError(_("Write an answer or choose a file."))
    if len(text) > MAX_CITIZEN_ANSWER:
        raise CaseError(_("The answer is too long: at most 2,000 characters."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=document_request.case_id)
        document_request = DocumentRequest.objects.select_for_update().get(pk=document_request.pk)
        if case.status in CLOSED_STATUSES:
            raise CaseError(_("This case is closed; documents can no longer be uploaded."))
        stored = _store_files(case=case, files=files, actor=None)
        document_request.files.add(*stored)
        if document_request.fulfilled_at is None:
            document_request.fulfilled_at = timezone.now()
            document_request.save(update_fields=["fulfilled_at"])
        from_status = case.status
        if case.status == CaseStatus.WAITING:
            case.status = CaseStatus.IN_PROGRESS
            case.save(update_fields=["status", "updated_at"])
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.CITIZEN_UPLOAD,
            from_status=from_status if case.status != from_status else "",
            to_status=case.status if case.status != from_status else "",
            text="\n".join(part for part in (text, ", ".join(f.original_name for f in stored)) if part),
            visible_to_citizen=True,
        )
        event.attachments.add(*stored)
        return document_request


# --- the checklist (applications.formengine.checklist) ---------------------------------------------------

MESSAGE_OF_DECISION = {
    ChecklistDecision.COMPLETE: _("We have all the documents we need. You do not need an appointment."),
    ChecklistDecision.APPOINTMENT: _(
        "Please book an appointment. You find the link on the status page of your application; please bring "
        "the documents that are still missing."
    ),
}


def _checklist_counts_update(case: Case) -> None:
    """Keep the checklist's counts on the case for the inbox (None for a form without documents)."""
    checklist = case_checklist(case=case)
    total = checklist.total if checklist.items else None
    received = checklist.received_count if checklist.items else None
    if (case.checklist_total, case.checklist_received) != (total, received):
        case.checklist_total, case.checklist_received = total, received
        Case.objects.filter(pk=case.pk).update(checklist_total=total, checklist_received=received)


def _open_for_checklist(case: Case) -> None:
    if case.status in CLOSED_STATUSES:
        raise CaseError(_("This case is closed; its checklist can no longer be changed."))


def case_checklist_tick(*, case: Case, actor: Any, received: Iterable[str]) -> int:
    """Tick off the documents of the checklist named in ``received`` and untick the others; each change is
    audited. Returns how many documents changed."""
    wanted = set(received)
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        _open_for_checklist(case)
        checklist = case_checklist(case=case)
        changed = 0
        for item in checklist.items:
            now = item.key in wanted
            if now == item.received:
                continue
            ChecklistTick.objects.update_or_create(
                case=case, document=item.key, defaults={"received": now, "changed_by": actor}
            )
            state = "received" if now else "not received"
            audit_record(actor=actor, action=AuditAction.CHECKLIST_TICK, case=case, detail=f"{item.key}: {state}")
            changed += 1
        if changed:
            _checklist_counts_update(case)
            from_status = _checklist_requests_fulfil(case=case)
            if case.status != from_status:
                CaseEvent.objects.create(
                    case=case, kind=EventKind.STATUS, actor=actor, from_status=from_status, to_status=case.status
                )
        return changed


def case_checklist_decide(*, case: Case, actor: Any, decision: str) -> Case:
    """Staff decide from the checklist: "complete" (no appointment needed) or "appointment" (the citizen is
    asked to book one). The citizen is told on the status page and by email; the decision is audited and
    replaces the form's outcome as the next step. It can be changed while the case is open."""
    if decision not in ChecklistDecision.values:
        raise CaseError(_("Choose whether an appointment is needed."))
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        _open_for_checklist(case)
        if case.checklist_decision == decision:
            raise CaseError(_("This was decided already."))
        case.checklist_decision = decision
        case.checklist_decided_at = timezone.now()
        case.save(update_fields=["checklist_decision", "checklist_decided_at", "updated_at"])
        from django.utils import translation

        from amtsweg.core.i18n import language_or_default

        with translation.override(language_or_default(case.submission.language)):
            # e.g. the appointments module cancels a booked appointment that is no longer needed, and says so
            texts = [str(MESSAGE_OF_DECISION[ChecklistDecision(decision)])]
            texts += case_hooks.decided(case=case, decision=decision, actor=actor)
            text = "\n\n".join(texts)
        event = CaseEvent.objects.create(
            case=case, kind=EventKind.CHECKLIST_DECISION, actor=actor, text=text, visible_to_citizen=True
        )
        audit_record(actor=actor, action=AuditAction.CHECKLIST_DECISION, case=case, detail=decision)
        # The citizen's email is queued in this transaction (notifications' outbox): both or neither.
        notify_case_event(case=case, event=event)
        return case


def _checklist_request_text(*, items: Sequence[Any], note: str) -> str:
    lines = [str(_("Please send us these documents:"))]
    for item in items:
        if item.uploadable:
            how = _("upload it on the status page of your application, or bring it with you (%(form)s)")
        else:
            how = _("bring it with you or send it by post (%(form)s)")
        lines.append(f"- {item.title}: {how % {'form': item.original_label}}")
    if note:
        lines += ["", note]
    return "\n".join(lines)


def case_checklist_request(*, case: Case, actor: Any, documents: Iterable[str], note: str = "") -> DocumentRequest:
    """Ask the citizen for documents of the checklist that are not in yet. The message names each document and
    how to send it, in the citizen's language, with the staff member's note; the case waits for the citizen
    until all of them are in (an upload on the status page ticks them off, ``case_checklist_upload``)."""
    from django.utils import translation

    from amtsweg.core.i18n import language_or_default

    wanted = list(dict.fromkeys(documents))
    if not wanted:
        raise CaseError(_("Choose the documents to ask for."))
    note = (note or "").strip()
    if len(note) > MAX_CITIZEN_ANSWER:
        raise CaseError(_("The note is too long: at most 2,000 characters."))
    if note:
        note = _clean_text(note, message=_("Enter the note."))
    with transaction.atomic():
        case = _locked(case)
        _check_actor(actor, case)
        _open_for_checklist(case)
        with translation.override(language_or_default(case.submission.language)):
            open_items = {item.key: item for item in case_checklist(case=case).open_items}
            if any(key not in open_items for key in wanted):
                raise CaseError(_("Only documents of the checklist that are not in yet can be asked for."))
            text = _checklist_request_text(items=[open_items[key] for key in wanted], note=note)
        return _document_request_create(case=case, actor=actor, text=text, documents=wanted)


def _checklist_requests_fulfil(*, case: Case, document_key: str = "", stored: Any = None) -> str:
    """Requests for checklist documents that are all in now are fulfilled (an upload for one of them is added
    to its files); a waiting case with no open request left is back in progress. Returns the case's status
    before, for the history."""
    received = {item.key for item in case_checklist(case=case).items if item.received}
    open_requests = list(case.document_requests.filter(fulfilled_at__isnull=True))
    for request in open_requests:
        if not request.documents:
            continue
        if stored is not None and document_key in request.documents:
            request.files.add(stored)
        if set(request.documents) <= received:
            request.fulfilled_at = timezone.now()
            request.save(update_fields=["fulfilled_at"])
    from_status = case.status
    if case.status == CaseStatus.WAITING and not any(r.fulfilled_at is None for r in open_requests):
        case.status = CaseStatus.IN_PROGRESS
        case.save(update_fields=["status", "updated_at"])
    return from_status


def case_checklist_upload(*, case: Case, document_key: str, upload: Any) -> CaseEvent:
    """The citizen sends a document of the checklist from the status page (``upload`` already checked as the
    document's upload field): it is stored, ticked off (audited as the citizen's), shown in the history,
    and the outcome is worked out again unless staff have decided."""
    from amtsweg.applications.errors import ApplicationError
    from amtsweg.applications.files import file_store
    from amtsweg.applications.formengine.checklist import file_key
    from amtsweg.applications.services import submission_outcome_refresh

    with transaction.atomic():
        case = _locked(case)
        _open_for_checklist(case)
        item = next((item for item in case_checklist(case=case).items if item.key == document_key), None)
        if item is None or not item.uploadable:
            raise CaseError(_("This document cannot be uploaded here."))
        try:
            stored = file_store(upload=upload, submission=case.submission, field_key=file_key(document_key))
        except ApplicationError as exc:  # the file store's refusal, in this module's one error type
            raise CaseError(exc.message) from exc
        ChecklistTick.objects.update_or_create(
            case=case, document=document_key, defaults={"received": True, "changed_by": None}
        )
        from_status = _checklist_requests_fulfil(case=case, document_key=document_key, stored=stored)
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.CITIZEN_UPLOAD,
            from_status=from_status if case.status != from_status else "",
            to_status=case.status if case.status != from_status else "",
            text=f"{item.title}: {stored.original_name}",
            visible_to_citizen=True,
        )
        event.attachments.add(stored)
        audit_record(
            actor=None,
            action=AuditAction.CHECKLIST_TICK,
            case=case,
            detail=f"{document_key}: received (upload)",
            by_citizen=True,
        )
        _checklist_counts_update(case)
        submission_outcome_refresh(submission=case.submission)
        return event


def case_without_appointment(*, case: Case) -> bool | None:
    """Whether the case ended without an appointment, for the statistics: the staff's decision, else the
    form's outcome (an appointment, or none needed; a case checked by staff plans none). None for a form
    without a checklist."""
    if case.checklist_decision:
        return case.checklist_decision == ChecklistDecision.COMPLETE
    kind = (case.submission.outcome or {}).get("kind")
    if not kind:
        return None
    return kind != "appointment"


def case_statistics_record_open(*, case: Case, received: datetime.date) -> Any:
    """The anonymous record of a case just received (statistics.CaseRecord): counted from receipt on, so that
    the figures show what arrives, not only what is done; completed by ``case_statistics_record_close``."""
    from amtsweg.statistics.services import case_record_create

    return case_record_create(
        service_id=case.service_id,
        department_id=case.department_id,
        channel=case.submission.channel,
        submitted_on=received,
    )


def case_statistics_record_close(*, case: Case) -> None:
    """Complete the anonymous record of a case that closes now (making it first for a case received before
    records were made at receipt): closing day, final state, working days taken, whether that was within the
    service's processing deadline, what was paid online. Retention keeps the record."""
    from amtsweg.statistics.services import case_record_complete

    record = case.statistics_record
    if record is None:
        received = timezone.localdate(case.submission.submitted_at or case.created_at)
        record = case.statistics_record = case_statistics_record_open(case=case, received=received)
    closed_at = case.closed_at or timezone.now()
    closed_on = timezone.localdate(closed_at)
    received = record.submitted_on
    payment = getattr(case.submission, "payment", None)  # the payments module's one payment per submission
    case_record_complete(
        record_id=record.pk,
        closed_on=closed_on,
        final_status=case.status,
        working_days=working_days_between(received, closed_on),
        within_target=None if case.due_at is None else closed_at <= case.due_at,
        paid_cents=payment.amount_cents if payment is not None and payment.paid_at else 0,
        without_appointment=case_without_appointment(case=case),
        details=case_hooks.statistics_details(case=case),
    )
