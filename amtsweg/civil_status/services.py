"""Writes of the Standesamt's fulfilment: queueing a paid order, printing, posting, asking, rejecting.

Every action runs in ``transaction.atomic()`` with the order row locked by
``select_for_update()``, checks that the actor works in the order's
department, and is written to the audit log. The case moves along with the
order through ``cases.services``, which emails the citizen after the commit
(as a background task, in the citizen's language). Refusals raise the back
office's one error type, ``CaseError``.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction, CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import Case
from amtsweg.cases.services import audit_record, case_documents_request, case_transition

from . import selectors
from .constants import MAX_TEXT, SENDABLE, OrderStatus
from .models import CertificateOrder

logger = logging.getLogger(__name__)


# --- entering the queue ---------------------------------------------------------------


def certificate_order_open(*, case: Case) -> CertificateOrder | None:
    """Put a certificate service's new case into the fulfilment queue; None for other services. Idempotent.

    Called through ``cases.hooks`` inside ``case_open``, which for a fee runs
    at the moment the payment is recorded as paid: that moment is ``paid_at``.
    """
    if not selectors.is_certificate_service(case.service):
        return None
    existing = CertificateOrder.objects.filter(case=case).first()
    if existing is not None:
        return existing
    from amtsweg.payments.selectors import payment_of_submission

    # The payment that is being recorded as paid, which its submission holds (no query), or, for a free
    # order, none.
    payment = payment_of_submission(submission=case.submission)
    paid_at = (payment.paid_at if payment is not None else None) or timezone.now()
    return CertificateOrder.objects.create(
        case=case,
        paid_at=paid_at,
        due_on=selectors.order_due_on(service=case.service, paid_on=timezone.localdate(paid_at)),
    )


# --- helpers --------------------------------------------------------------------------


def _locked(order: CertificateOrder) -> CertificateOrder:
    return (
        CertificateOrder.objects.select_for_update(of=("self",))
        .select_related("case", "case__service", "case__department", "case__submission")
        .get(pk=order.pk)
    )


def _check_actor(actor: Any, order: CertificateOrder) -> None:
    """Only staff of the order's department (superusers: any); views check this too, through the selectors."""
    if order.case.department_id not in selectors.fulfilment_department_ids(user=actor):
        raise CaseError(_("You may only work on certificate orders of your own department."))


def _refuse_closed(order: CertificateOrder) -> None:
    if order.status == OrderStatus.SENT:
        raise CaseError(_("This order has already been sent."))
    if order.status == OrderStatus.REJECTED:
        raise CaseError(_("This order has been rejected; it can no longer be worked on."))
    if order.case.status in CLOSED_STATUSES:  # closed on the case page, e.g. withdrawn
        raise CaseError(_("The case of this order is closed."))


def _text(value: str, *, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise CaseError(message)
    if len(value) > MAX_TEXT:
        raise CaseError(_("The text is too long: at most 2,000 characters."))
    return value


def _start_case(case: Case, actor: Any) -> None:
    """A received case is now being worked on (the citizen sees "in progress")."""
    if case.status == CaseStatus.RECEIVED:
        case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)


def _mark_printed(order: CertificateOrder, actor: Any, now: datetime.datetime) -> None:
    _refuse_closed(order)
    _start_case(order.case, actor)
    if order.status == OrderStatus.QUEUED:
        order.status = OrderStatus.PRINTED
    order.printed_at = now
    order.printed_by = actor if getattr(actor, "is_authenticated", False) else None
    order.save(update_fields=["status", "printed_at", "printed_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.PRINT_DOCUMENT, case=order.case, detail="certificate order printed")


# --- the actions -------------------------------------------------------------------------


def certificate_order_print(*, order: CertificateOrder, actor: Any) -> bytes:
    """ "Drucken": mark the order printed and return its PDF (cover letter for a window envelope and order sheet).

    Printing again is allowed (a paper jam); only a sent or rejected order is refused.
    """
    from .pdf import orders_pdf

    with transaction.atomic():
        order = _locked(order)
        _check_actor(actor, order)
        _mark_printed(order, actor, timezone.now())
        # Made before the commit: if the PDF fails, the order is not marked printed.
        return orders_pdf(orders=[order])


def certificate_orders_print_batch(*, actor: Any) -> tuple[bytes, int]:
    """The day's batch: every order of the actor's departments waiting to be printed, as one PDF, marked printed."""
    from .pdf import orders_pdf

    ids = list(selectors.orders_to_print(user=actor).values_list("pk", flat=True))
    if not ids:
        raise CaseError(_("No orders are waiting to be printed."))
    now = timezone.now()
    with transaction.atomic():
        locked = list(
            CertificateOrder.objects.select_for_update(of=("self",))
            .select_related("case", "case__service", "case__department", "case__submission")
            .filter(pk__in=ids, status=OrderStatus.QUEUED)
            .exclude(case__status__in=CLOSED_STATUSES)
            .order_by("paid_at", "id")
        )
        if not locked:
            raise CaseError(_("No orders are waiting to be printed."))
        for order in locked:
            _check_actor(actor, order)
            _mark_printed(order, actor, now)
        # Made before the commit: if the PDF fails, no order of the batch is marked printed.
        return orders_pdf(orders=locked), len(locked)


def certificate_order_send(*, order: CertificateOrder, actor: Any) -> CertificateOrder:
    """ "Versendet": the certificate is in the post. The case is completed and the citizen emailed."""
    with transaction.atomic():
        order = _locked(order)
        _check_actor(actor, order)
        _refuse_closed(order)
        if order.status not in SENDABLE or order.printed_at is None:
            raise CaseError(_("Print the order first: the certificate is issued from the order sheet."))
        order.status = OrderStatus.SENT
        order.sent_at = timezone.now()
        order.sent_by = actor if getattr(actor, "is_authenticated", False) else None
        order.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
        case = order.case
        if case.status == CaseStatus.RECEIVED:  # printed before the case was picked up in the inbox
            _start_case(case, actor)
        order.case = case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)
        audit_record(actor=actor, action=AuditAction.CHANGE_STATUS, case=case, detail="certificate order sent")
        return order


def certificate_order_proof_approve(*, order: CertificateOrder, actor: Any) -> CertificateOrder:
    """ "Nachweis akzeptiert": the legal interest and its proof of an order for another person are sufficient."""
    with transaction.atomic():
        order = _locked(order)
        _check_actor(actor, order)
        _refuse_closed(order)
        if not selectors.order_needs_review(case=order.case):
            raise CaseError(_("This order has no proof to check."))
        order.proof_approved_at = timezone.now()
        order.proof_approved_by = actor if getattr(actor, "is_authenticated", False) else None
        order.save(update_fields=["proof_approved_at", "proof_approved_by", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.CHANGE_STATUS, case=order.case, detail="certificate proof accepted"
        )
        return order


def certificate_order_query(*, order: CertificateOrder, actor: Any, text: str) -> CertificateOrder:
    """ "Rückfrage": ask the citizen a question. It appears on the status page (where they can answer
    with an upload) and is emailed; the order waits in the queue meanwhile.
    """
    with transaction.atomic():
        order = _locked(order)
        _check_actor(actor, order)
        _refuse_closed(order)
        text = _text(text, message=_("Enter your question to the citizen."))
        _start_case(order.case, actor)  # so that the citizen's status shows that we wait for them
        case_documents_request(case=order.case, actor=actor, text=text)
        order.status = OrderStatus.QUERY
        order.save(update_fields=["status", "updated_at"])
        return order


def certificate_order_reject(*, order: CertificateOrder, actor: Any, reason: str) -> CertificateOrder:
    """ "Ablehnen": reject with a reason the citizen sees, and pay back what is still paid.

    The refund goes through the payments module (and the provider) last, so a
    provider that cannot be reached undoes the whole rejection.
    """
    from amtsweg.payments.constants import PaymentStatus
    from amtsweg.payments.models import Payment
    from amtsweg.payments.services import payment_refund

    with transaction.atomic():
        order = _locked(order)
        _check_actor(actor, order)
        _refuse_closed(order)
        reason = _text(reason, message=_("Enter the reason for the rejection. The citizen will see it."))
        if len(reason) > 500:  # the refund keeps the reason too
            raise CaseError(_("The reason is too long: at most 500 characters."))
        order.status = OrderStatus.REJECTED
        order.rejected_at = timezone.now()
        order.save(update_fields=["status", "rejected_at", "updated_at"])
        order.case = case_transition(case=order.case, to_status=CaseStatus.REJECTED, actor=actor, reason=reason)
        payment = Payment.objects.filter(submission_id=order.case.submission_id).first()
        if payment is not None and payment.status in (PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED):
            payment_refund(
                payment=payment,
                amount_cents=payment.amount_cents - payment.refunded_cents,
                reason=reason,
                actor=actor,
            )
        return order


# --- the free certificates of a death notice ---------------------------------------------------------------


def _person_name(value: Any) -> str:
    """A ``person_name`` answer as one line ("Berta Bestatter")."""
    if not isinstance(value, dict):
        return ""
    return " ".join(filter(None, [str(value.get("given_names") or ""), str(value.get("family_name") or "")]))[:300]


def death_notice_certificates_order(*, case: Case, actor: Any) -> Case | None:
    """Open the order of the free death certificates a death notice asked for, once the death is registered.

    The order is a submission of the certificate service (``CIVIL_STATUS_DEATH_NOTICE["certificate_service"]``,
    the Sterbeurkunde) in the reporter's name, free of charge: its case opens at once, so it enters the
    fulfilment queue through ``certificate_order_open`` like any free order, and the reporter gets its own
    confirmation with a reference number and access code. None when no free certificate was asked for.
    Idempotent: a notice completed again (reopened) makes no second order. Runs inside the notice's move to
    "completed" (``cases.hooks.on_status``), so both are saved or neither.
    """
    from django.conf import settings

    from amtsweg.applications import references
    from amtsweg.applications.models import Submission
    from amtsweg.applications.selectors import form_version_active
    from amtsweg.cases.services import case_open
    from amtsweg.catalogue.models import Service
    from amtsweg.notifications.services import notify_submission_received

    from . import death_notice

    notice = case.submission
    answers = notice.answers if isinstance(notice.answers, dict) else {}
    purposes = death_notice.free_purposes(answers)
    if not purposes:
        return None
    existing = selectors.death_notice_certificate_case(case=case)
    if existing is not None:
        return existing
    slug = settings.CIVIL_STATUS_DEATH_NOTICE["certificate_service"]
    service = Service.objects.select_related("department").filter(slug=slug).first()
    version = form_version_active(service=service) if service is not None else None
    if service is None or version is None:
        raise CaseError(
            _("The free death certificates cannot be ordered: the service “%(slug)s” has no online form.")
            % {"slug": slug}
        )
    names = ", ".join(death_notice.FREE_PURPOSES[purpose] for purpose in purposes)
    order_answers = {
        "applicant_name": answers.get("reporter_name"),
        "email": answers.get("email", ""),
        "phone": answers.get("phone", ""),
        "entry_name": answers.get("deceased_name"),
        "entry_birth_date": answers.get("deceased_birth_date"),
        "event_date": answers.get("death_date"),
        "event_place": settings.PORTAL["city"],
        "certificate_kind": "certificate",
        "free_purposes": purposes,
        # For the order sheet, in the Standesamt's language.
        "purpose_text": f"Gebührenfrei: {names}. Zur Voranzeige eines Sterbefalls {case.reference}.",
        "delivery_abroad": False,
        "delivery_address": answers.get("delivery_address"),
        death_notice.ORDER_LINK: case.reference,
    }
    access_code = references.access_code_new()
    with transaction.atomic():
        submission = Submission.objects.create(
            reference=references.reference_allocate(year=timezone.localdate().year),
            access_code_hash=references.access_code_hash(access_code),
            service=service,
            form_version=version,
            definition=type(version).objects.values_list("definition", flat=True).get(pk=version.pk),
            answers=order_answers,
            language=notice.language,
            email=notice.email,
            applicant_name=_person_name(answers.get("reporter_name")),
        )
        order_case = case_open(submission=submission)  # the order enters the queue (hooks.queue_certificate_order)
        notify_submission_received(submission=submission, access_code=access_code)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE_STATUS,
            case=case,
            detail=f"free death certificates ordered: {submission.reference}",
        )
    return order_case
