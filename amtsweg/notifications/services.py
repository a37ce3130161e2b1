"""Every email Amtsweg sends: queued here, sent by a background task.

The public functions only record a ``Notification`` and queue the task
``notifications.tasks.notification_send``; rendering, the PDF and SMTP happen
in the task, so a slow or broken mail server never holds up a citizen or an
officer. A failed attempt is recorded and retried later (1, 5, 15, 60, 60
minutes; 6 attempts in all) while the case shows ``notification_problem``.
The emails about a submission, its case or a draft are built here; the others by the
module they are about (``notifications.kinds``), all sent and retried alike.
"""

import datetime
import logging
import uuid
from email.utils import parseaddr
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtsweg.applications.models import Draft, Submission
from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.models import Case, CaseEvent, ProcessingRule
from amtsweg.catalogue.money import format_cents
from amtsweg.core.i18n import language_or_default
from amtsweg.core.outbox import queued_with_transaction
from amtsweg.documents.services import submission_summary_pdf_store
from amtsweg.documents.storage import private_file_path

from .attachments import Attachment, confirmation_attachments_for
from .constants import MAX_ATTEMPTS, RETRY_BACKOFF_MINUTES, NotificationKind, NotificationStatus
from .emails import email_render
from .kinds import EmailKind, email_kind
from .models import Notification
from .sealing import seal, unseal

logger = logging.getLogger(__name__)
PAID_STATUSES = ("paid", "refunded", "partly_refunded")

CASE_URL = "/intern/faelle/{uuid}/"
GONE = "gone"  # what the task returns when retention deleted the notification before it ran


# --- public API --------------------------------------------------------------


def submission_notify(
    *,
    submission: Submission,
    kind: NotificationKind,
    occasion_of: Any,
    case: Case | None = None,
    access_code: str = "",
) -> list[Notification]:
    """Queue the citizen's email about a submission and the department's note about its case.

    ``kind`` is the occasion: ``SUBMISSION_CONFIRMATION`` (with the access code and the PDF) once it is
    submitted, ``PAYMENT_RECEIVED`` (with the receipt) once its fee is paid; ``occasion_of`` is the uuid of
    the submission or payment, so that calling it twice queues nothing new. Call it inside the transaction
    that records the occasion (the rows are written with it, the tasks queued once it commits) or after it.
    ``case`` is the case that opened, if the caller has it. A fee-bearing submission has no case until it is
    paid, so the department hears of it then. ``access_code`` is known only to the caller at that moment; it
    is kept encrypted on the citizen's ``Notification`` until the email is sent.
    """
    if case is None:
        case = _case_of(submission)
    queued = []
    if submission.email:
        queued.append(
            notification_queue(
                kind=kind,
                to=submission.email,
                language=language_or_default(submission.language),
                occasion_of=occasion_of,
                case=case,
                submission=submission,
                sealed={"access_code": access_code} if access_code else None,
            )
        )
    if case is not None:
        queued += _department_note(submission=submission, case=case)
    return queued


def notify_submission_received(*, submission: Submission, access_code: str) -> list[Notification]:
    """``submission_notify`` for a new submission: the confirmation with the access code and the PDF."""
    return submission_notify(
        submission=submission,
        kind=NotificationKind.SUBMISSION_CONFIRMATION,
        occasion_of=submission.uuid,
        access_code=access_code,
    )


def notify_payment_received(*, payment: Any, case: Case | None = None) -> list[Notification]:
    """``submission_notify`` for a paid fee: the payment confirmation with the receipt."""
    return submission_notify(
        submission=payment.submission, kind=NotificationKind.PAYMENT_RECEIVED, occasion_of=payment.uuid, case=case
    )


def _case_of(submission: Submission) -> Case | None:
    """The submission's case: the one opened in this transaction is already on the submission (the
    one-to-one's cache), so only a submission without it is asked for in the database."""
    return getattr(submission, "case", None)  # RelatedObjectDoesNotExist is an AttributeError: no case


def _department_note(*, submission: Submission, case: Case) -> list[Notification]:
    department_email = submission.service.department.email
    if not department_email:
        return []
    return [
        notification_queue(
            kind=NotificationKind.DEPARTMENT_NEW_SUBMISSION,
            to=department_email,
            language=settings.LANGUAGE_CODE,
            occasion_of=submission.uuid,
            case=case,
            submission=submission,
        )
    ]


def notify_draft_resume_link(*, draft: Draft, email: str) -> Notification:
    """Queue the "continue later" email with a signed link back to ``draft`` (a fresh one on every call)."""
    return notification_queue(
        kind=NotificationKind.DRAFT_RESUME_LINK,
        to=email,
        language=language_or_default(draft.language),
        occasion_of=uuid.uuid4(),
        draft=draft,
    )


def notify_case_event(*, case: Case, event: CaseEvent) -> Notification | None:
    """Queue the citizen's email about a status change, a message, a document request or a rejection.

    Other events (notes, assignments, ...) send nothing, and neither does a
    submission without an email address. Calling it twice for one event
    queues one email.
    """
    kind = _kind_for_event(event)
    submission = case.submission
    if kind is None or not submission.email:
        return None
    return notification_queue(
        kind=kind,
        to=submission.email,
        language=language_or_default(submission.language),
        occasion_of=event.uuid,
        case=case,
        submission=submission,
        event=event,
    )


def notification_queue(
    *,
    kind: NotificationKind,
    to: str,
    language: str,
    occasion_of: Any,
    case: Case | None = None,
    submission: Submission | None = None,
    event: CaseEvent | None = None,
    draft: Draft | None = None,
    appointment: Any = None,
    raffle_entry: Any = None,
    sealed: dict[str, str] | None = None,
) -> Notification:
    """Write one email's row and queue the task that sends it; the one way an email leaves Amtsweg.

    Call it inside the transaction of the change the email is about: with the database task backend the
    task's row is written with the notification's, in its savepoint, so a worker finds both or neither
    (``core.outbox``); with another backend the task is queued after the commit. ``occasion_of`` makes
    the email unique ("<kind>:<occasion_of>"): a second call for the same occasion returns the first row
    and queues nothing. ``sealed`` is data only this email needs (an access code, a login link): it is kept
    encrypted on the row and blanked once the email is sent or given up. The task carries only the row's
    uuid. ``draft``, ``appointment`` and ``raffle_entry`` name what the email is about for the module that
    builds it (``notifications.kinds``); the row is deleted with it.
    """
    from .tasks import notification_send

    occasion = f"{kind}:{occasion_of}"
    with_row = queued_with_transaction(notification_send)
    try:
        # Insert first: a new occasion (the usual case) costs one INSERT in a savepoint, not a read as well.
        with transaction.atomic():
            notification = Notification.objects.create(
                occasion=occasion,
                kind=kind,
                to=to,
                language=language,
                case=case,
                submission=submission,
                event=event,
                draft=draft,
                appointment=appointment,
                raffle_entry=raffle_entry,
                sealed=seal(sealed or {}),
            )
            if with_row:
                _task_enqueue(notification_uuid=str(notification.uuid))
    except IntegrityError:  # this occasion was queued before (a second call, a parallel request): no second email
        return Notification.objects.get(occasion=occasion)
    if not with_row:
        transaction.on_commit(partial(_enqueue, notification_uuid=str(notification.uuid)))
    return notification


def notification_deliver(*, notification_uuid: str) -> str:
    """Send one queued email unless it was sent already; on an error record it and schedule a retry.

    Returns the notification's status afterwards ("sent", "pending" when a
    retry is scheduled, "failed"), or "gone" when the row no longer exists
    or its email is no longer wanted.
    """
    notification = (
        Notification.objects.select_related("submission__service__department", "case", "event")
        .filter(uuid=notification_uuid)
        .first()
    )
    if notification is None:
        return GONE
    if notification.status == NotificationStatus.SENT:
        return NotificationStatus.SENT
    kind = email_kind(notification.kind)
    if (kind is not None and not kind.wanted(notification=notification)) or _status_superseded(notification):
        notification.delete()
        return GONE
    try:
        message = _message_build(notification=notification, kind=kind)
        message.extra_headers["Message-ID"] = notification_message_id(notification=notification, message=message)
        with transaction.atomic():
            # The lock makes two workers running the same notification send it once.
            locked = Notification.objects.select_for_update().get(pk=notification.pk)
            if locked.status == NotificationStatus.SENT:
                return NotificationStatus.SENT
            message.send()
            locked.status = NotificationStatus.SENT
            locked.attempts += 1
            locked.sent_at = timezone.now()
            locked.last_error = ""
            locked.sealed = ""
            locked.save(update_fields=["status", "attempts", "sent_at", "last_error", "sealed"])
            if kind is not None:
                kind.sent(notification=locked)
            if locked.case_id:
                _case_problem_clear_if_resolved(case_id=locked.case_id)
            if kind is not None and kind.forget_when_done:
                locked.delete()
    except Exception as error:
        # The error's name only: an SMTP refusal's text names the recipient, who stays out of the logs (the
        # row, which holds the address anyway, keeps the whole message for staff).
        logger.warning("notification %s (%s) failed: %s", notification.uuid, notification.kind, type(error).__name__)
        return _failure_record(notification_uuid=notification_uuid, error=error)
    return NotificationStatus.SENT


def _status_superseded(notification: Notification) -> bool:
    """A "new status" email whose case has moved on before it went out: the later move's own email says the
    state the citizen should read (e.g. "in progress" and "completed" in one transaction), so one is sent."""
    event = notification.event
    if notification.kind != NotificationKind.CASE_STATUS_CHANGED or event is None:
        return False
    return CaseEvent.objects.filter(case_id=event.case_id, kind=EventKind.STATUS, pk__gt=event.pk).exists()


def notification_message_id(*, notification: Notification, message: EmailMessage | None = None) -> str:
    """The email's Message-ID, ``<notification uuid@sender's domain>``: the same on every attempt and every worker.

    Sending is at-least-once: a worker that dies after the mail server accepted the email but before the
    row was marked sent leaves a task that another worker runs again. The second copy then carries the
    same Message-ID, so the mail server, the mail client and anyone looking into it can tell it is the
    same message. The domain is the sender's (``message.from_email``, else ``DEFAULT_FROM_EMAIL``), not the
    host's name, which differs from one worker to the next.
    """
    sender = (message.from_email if message is not None else "") or settings.DEFAULT_FROM_EMAIL
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{notification.uuid}@{domain}>"


def notifications_delete(*, raffle_entries: QuerySet[Any]) -> int:
    """Delete the emails about these raffle entries, sent or not, with the addresses on them (the entries' contact
    data is being deleted). Returns the number of emails deleted."""
    return Notification.objects.filter(raffle_entry__in=raffle_entries).delete()[1].get(Notification._meta.label, 0)


# --- queueing and failures ---------------------------------------------------


def _task_enqueue(*, notification_uuid: str, run_after: datetime.datetime | None = None) -> None:
    from .tasks import notification_send

    task = notification_send.using(run_after=run_after) if run_after else notification_send
    task.enqueue(notification_uuid=notification_uuid)


def _enqueue(*, notification_uuid: str, run_after: datetime.datetime | None = None) -> None:
    try:
        _task_enqueue(notification_uuid=notification_uuid, run_after=run_after)
    except Exception as error:  # the queue itself is down: staff must see that the email did not go
        logger.exception("could not queue notification %s", notification_uuid)
        _failure_record(notification_uuid=notification_uuid, error=error, may_retry=False)


def retry_supported() -> bool:
    """Whether the task backend can run a task later (``run_after``); without it a failure is final."""
    from .tasks import notification_send

    return bool(notification_send.get_backend().supports_defer)


def retry_delay(*, attempts: int) -> datetime.timedelta:
    """The wait after the given number of failed attempts: 1, 5, 15, 60, 60 ... minutes."""
    index = min(max(attempts, 1), len(RETRY_BACKOFF_MINUTES)) - 1
    return datetime.timedelta(minutes=RETRY_BACKOFF_MINUTES[index])


def _failure_record(*, notification_uuid: str, error: BaseException, may_retry: bool = True) -> str:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(uuid=notification_uuid).first()
        if notification is None:
            return GONE
        if notification.status == NotificationStatus.SENT:
            return NotificationStatus.SENT
        kind = email_kind(notification.kind)
        notification.attempts += 1
        notification.last_error = f"{type(error).__name__}: {error}"[:500]
        retries = may_retry and (kind is None or kind.retries)
        retry = retries and notification.attempts < MAX_ATTEMPTS and retry_supported()
        notification.status = NotificationStatus.PENDING if retry else NotificationStatus.FAILED
        if not retry:
            notification.sealed = ""  # given up: nothing will read it again
        notification.save(update_fields=["attempts", "last_error", "status", "sealed"])
        if notification.case_id:
            Case.objects.filter(pk=notification.case_id).update(notification_problem=True)
            if notification.attempts == 1:  # one history entry per email, not one per attempt
                with translation.override(settings.LANGUAGE_CODE):
                    text = _("%(kind)s to %(to)s: %(error)s") % {
                        "kind": notification.get_kind_display(),
                        "to": notification.to,
                        "error": type(error).__name__,
                    }
                CaseEvent.objects.create(
                    case_id=notification.case_id,
                    kind=EventKind.NOTIFICATION_FAILED,
                    text=text,
                    visible_to_citizen=False,
                )
        if retry:
            run_after = timezone.now() + retry_delay(attempts=notification.attempts)
            transaction.on_commit(partial(_enqueue, notification_uuid=notification_uuid, run_after=run_after))
        elif kind is not None:
            kind.given_up(notification=notification)
            if kind.forget_when_done:
                notification.delete()
        return notification.status


def _case_problem_clear_if_resolved(*, case_id: int) -> None:
    failing = Notification.objects.filter(case_id=case_id).filter(
        Q(status=NotificationStatus.FAILED) | Q(status=NotificationStatus.PENDING, attempts__gt=0)
    )
    if not failing.exists():
        Case.objects.filter(pk=case_id).update(notification_problem=False)


# --- building the message ----------------------------------------------------


def _kind_for_event(event: CaseEvent) -> NotificationKind | None:
    if event.kind in (EventKind.MESSAGE, EventKind.CHECKLIST_DECISION):  # a decision reaches the citizen as a message
        return NotificationKind.CASE_MESSAGE
    if event.kind == EventKind.DOCUMENT_REQUEST:
        return NotificationKind.CASE_DOCUMENTS_REQUESTED
    if event.kind == EventKind.STATUS:
        if event.to_status == CaseStatus.COMPLETED:
            return NotificationKind.CASE_COMPLETED
        if event.to_status == CaseStatus.REJECTED:
            return NotificationKind.CASE_REJECTED
        return NotificationKind.CASE_STATUS_CHANGED
    return None


def _absolute(path: str) -> str:
    return settings.PORTAL.get("base_url", "http://127.0.0.1:8000").rstrip("/") + path


def _in_language(path: str, language: str) -> str:
    """German pages have no prefix, the others /<code>/ (i18n_patterns with prefix_default_language=False)."""
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def _status_url(submission: Submission, language: str) -> str:
    try:
        from amtsweg.applications.status_links import status_url

        return status_url(submission)
    except (ImportError, NoReverseMatch):  # the status page has not landed: the lookup page by reference
        return _absolute(_in_language("/status/", language))


def _case_path(case: Case | None) -> str:
    """The case in the back office (German, like the back office itself); the inbox if there is no case."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            if case is None:
                return reverse("cases:inbox")
            return reverse("cases:case_detail", kwargs={"uuid": case.uuid})
        except NoReverseMatch:
            return CASE_URL.format(uuid=case.uuid) if case else "/intern/"


def _feedback_url(language: str, submission: Submission | None = None) -> str:
    """The feedback survey's address (with the submission's one-time link), or "" without the feedback module."""
    with translation.override(language):
        try:
            path = reverse("feedback:survey")
            if submission is not None:
                from amtsweg.feedback.tokens import survey_token_for

                path += "?t=" + survey_token_for(submission=submission)
        except NoReverseMatch:
            path = _in_language("/feedback/", language)
            try:
                resolve(path)
            except Resolver404:
                return ""
    return _absolute(path)


def _status_label(case: Case, status: str) -> str:
    if status in CaseStatus.values:
        return str(CaseStatus(status).label)
    rule = (
        ProcessingRule.objects.filter(service_id=case.service_id, valid_from__lte=timezone.localdate())
        .order_by("-valid_from")
        .first()
    )
    for state in rule.extra_states if rule else []:
        if isinstance(state, dict) and state.get("key") == status:
            label = state.get("label") or {}
            if isinstance(label, str):
                return label
            language = translation.get_language() or settings.LANGUAGE_CODE
            return label.get(language[:2]) or label.get(settings.LANGUAGE_CODE) or status
    return status


def _context(notification: Notification, access_code: str) -> dict[str, Any]:
    submission = notification.submission
    assert submission is not None, "every notification belongs to a submission"
    service = submission.service
    department = service.department
    context: dict[str, Any] = {
        "PORTAL": settings.PORTAL,
        "city": settings.PORTAL["city"],
        "hotline": settings.PORTAL.get("hotline", "115"),
        "hotline_local": settings.PORTAL.get("hotline_local", ""),
        "reference": submission.reference,
        "service_name": service.name,
        "department": department,
        "for_citizen": notification.kind != NotificationKind.DEPARTMENT_NEW_SUBMISSION,
    }
    kind = notification.kind
    if kind == NotificationKind.DEPARTMENT_NEW_SUBMISSION:
        context["case_url"] = _absolute(_case_path(notification.case))
        return context
    context["status_url"] = _status_url(submission, notification.language)
    payment = _payment_of(submission)
    if kind == NotificationKind.SUBMISSION_CONFIRMATION:
        context["access_code"] = access_code
        context["feedback_url"] = _feedback_url(notification.language, submission)
        context["processing_time"] = service.processing_time
        if payment is not None and payment.status not in PAID_STATUSES:
            context["payment_due"] = format_cents(payment.amount_cents, language=notification.language)
            context["payment_expires"] = timezone.localtime(payment.expires_at)
        context.update(_checklist_context(submission, notification.case))
        from amtsweg.applications.selectors import submission_notices

        context["notices"] = submission_notices(submission=submission)
        return context
    if kind == NotificationKind.PAYMENT_RECEIVED and payment is not None:
        context["amount"] = format_cents(payment.amount_cents, language=notification.language)
        context["kassenzeichen"] = payment.kassenzeichen
        context["processing_time"] = service.processing_time
        return context
    event = notification.event
    case = notification.case
    if kind == NotificationKind.CASE_STATUS_CHANGED and event is not None and case is not None:
        context["status_label"] = _status_label(case, event.to_status)
    if kind in (NotificationKind.CASE_MESSAGE, NotificationKind.CASE_DOCUMENTS_REQUESTED):
        context["text"] = event.text if event else ""
    if kind == NotificationKind.CASE_REJECTED:
        context["reason"] = (case.rejection_reason if case else "") or (event.text if event else "")
    if kind == NotificationKind.CASE_COMPLETED:
        # What the office said with the completion (e.g. the answer to a request): this email carries it.
        context["text"] = event.text if event is not None else ""
        context["result_delivery"] = service.result_delivery
        if case is not None:  # a service module may name the end more precisely, e.g. "sent" (cases.hooks)
            from amtsweg.cases.hooks import case_hooks

            context["citizen_status"] = case_hooks.citizen_status_label(case=case)
    if kind in (NotificationKind.CASE_COMPLETED, NotificationKind.CASE_REJECTED):
        context["feedback_url"] = _feedback_url(notification.language, submission)
    return context


def _checklist_context(submission: Submission, case: Case | None) -> dict[str, Any]:
    """The checklist and the next step (applications.formengine.checklist), with the booking link of an
    appointment, for the confirmation; nothing for a form without them."""
    from amtsweg.applications.selectors import submission_checklist
    from amtsweg.appointments.selectors import booking_offers_at

    checklist = submission_checklist(submission=submission)
    if not checklist:
        return {}
    offers = []
    step = checklist.next_step
    if step is not None and step.kind == "appointment":
        offers = [
            {
                "place": offer["location"].name,
                "url": _absolute(offer["url"]),
                "duration": step.duration or offer.get("duration"),
            }
            for offer in booking_offers_at(case=case, location=step.location, service=step.service)
        ]
    return {"checklist": checklist, "next_step_offers": offers}


def _message_build(*, notification: Notification, kind: EmailKind | None) -> EmailMessage:
    sealed = unseal(notification.sealed)
    if kind is not None:
        return kind.build(notification=notification, sealed=sealed)
    access_code = sealed.get("access_code", "")
    attachments: list[Attachment] = []
    with translation.override(notification.language):
        context = _context(notification, access_code)
        if notification.kind == NotificationKind.SUBMISSION_CONFIRMATION and notification.submission is not None:
            # A family's own documents (e.g. the receipt of an extension request), named in the email's text.
            attachments = confirmation_attachments_for(submission=notification.submission)
            context["attachments"] = attachments
        rendered = email_render(name=notification.kind, language=notification.language, context=context)
    message = rendered.message(to=notification.to)
    if notification.kind == NotificationKind.SUBMISSION_CONFIRMATION:
        submission = notification.submission
        assert submission is not None
        name = submission_summary_pdf_store(submission=submission)
        message.attach(f"{submission.reference}.pdf", private_file_path(name).read_bytes(), "application/pdf")
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
    if notification.kind == NotificationKind.CASE_COMPLETED and notification.event is not None:
        # The documents issued with the completion (case_transition's ``files``, e.g. a certificate).
        for stored in notification.event.attachments.all():
            message.attach(
                stored.original_name, private_file_path(stored.storage_name).read_bytes(), stored.content_type
            )
    if notification.kind == NotificationKind.PAYMENT_RECEIVED:
        from amtsweg.payments.receipts import payment_receipt_store

        payment = _payment_of(notification.submission)
        assert payment is not None
        name = payment_receipt_store(payment=payment)
        filename = f"quittung-{payment.kassenzeichen}.pdf"
        message.attach(filename, private_file_path(name).read_bytes(), "application/pdf")
    return message


def _payment_of(submission: Submission | None) -> Any:
    from amtsweg.payments.models import Payment

    return Payment.objects.filter(submission=submission).first() if submission is not None else None
