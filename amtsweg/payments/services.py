"""Writes of payments: creating the claim, starting, settling from provider answers, refunds, expiry.

Every change of a payment's state goes through ``_payment_move`` under a row
lock and leaves a ``PaymentEvent`` saying what caused it. Provider answers
(browser return, notification, status query) all end in ``payment_answer_apply``,
which checks the amount, currency and our reference against our records and
is idempotent and order-tolerant: the same answer twice changes once, and a
late "pending" after "paid" changes nothing.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import damm

from amtsweg.applications.references import counter_next
from amtsweg.documents.storage import private_files_delete

from .base import IncomingRequest, NotificationRejected, ProviderAnswer, ProviderUnavailable, ProviderUrls
from .constants import (
    CURRENCY,
    PAYABLE,
    TRANSACTION_MOVES,
    TRANSITIONS,
    PaymentStatus,
    Source,
    TransactionStatus,
)
from .errors import PaymentError
from .fees import FeeQuote
from .models import Payment, PaymentEvent, PaymentTransaction, Refund
from .registry import registry

if TYPE_CHECKING:
    from amtsweg.applications.models import Submission
    from amtsweg.cases.models import Case

logger = logging.getLogger(__name__)
security_log = logging.getLogger("amtsweg.payments.security")

# A second "Bezahlen" within this time reuses the transaction already started (double click, back button).
REUSE_PENDING_MINUTES = 30
KASSENZEICHEN_COUNTER = "KZ"


# --- creating the claim ----------------------------------------------------------------


def kassenzeichen_allocate(*, year: int) -> str:
    """The next Kassenzeichen: prefix, two-digit year, seven digits and a Damm check digit. Digits only."""
    last = counter_next(prefix=KASSENZEICHEN_COUNTER, year=year)  # counts and locks until the commit
    body = f"{settings.PAYMENTS['kassenzeichen_prefix']}{year % 100:02d}{last:07d}"
    return body + damm.calc_check_digit(body)


def payment_create(*, submission: Submission, quote: FeeQuote) -> Payment:
    """Record what the submission owes. Call inside the submission's transaction, only for a payable quote."""
    if not quote.payable:
        raise ValueError("a submission without a fee has no payment")
    now = timezone.now()
    payment = Payment.objects.create(
        submission=submission,
        kassenzeichen=kassenzeichen_allocate(year=timezone.localdate(now).year),
        currency=CURRENCY,
        amount_cents=quote.total_cents,
        items=[line.as_json() for line in quote.lines],
        expires_at=now + datetime.timedelta(hours=settings.PAYMENTS["expiry_hours"]),
    )
    PaymentEvent.objects.create(
        payment=payment, from_status=PaymentStatus.OPEN, to_status=PaymentStatus.OPEN, source=Source.SYSTEM
    )
    return payment


# --- the one place where a payment changes state ---------------------------------------


def _payment_move(
    *,
    payment: Payment,
    to: str,
    source: str,
    tx: PaymentTransaction | None = None,
    actor: Any = None,
    detail: str = "",
) -> bool:
    """Move a locked payment to ``to`` if the move is allowed; return whether it moved."""
    if to == payment.status and to != PaymentStatus.PARTLY_REFUNDED:
        return False
    if to not in TRANSITIONS[payment.status]:
        logger.info("payment %s: %s → %s ignored (%s)", payment.kassenzeichen, payment.status, to, source)
        return False
    PaymentEvent.objects.create(
        payment=payment,
        transaction=tx,
        from_status=payment.status,
        to_status=to,
        source=source,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        detail=detail[:500],
    )
    payment.status = to
    fields = ["status", "updated_at"]
    if to == PaymentStatus.PAID:
        payment.paid_at = timezone.now()
        payment.provider = tx.provider if tx else payment.provider
        fields += ["paid_at", "provider"]
    payment.save(update_fields=fields)
    if to == PaymentStatus.PAID:
        case = _open_case(payment)  # after the save: hooks of the case (cases.hooks) read the recorded paid_at
        _notify_paid(payment, case)
    return True


def _locked(payment_pk: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_pk)


def _open_case(payment: Payment) -> Case:
    """The case reaches the department's queue only now that the fee is paid."""
    from amtsweg.cases.services import case_open

    from .selectors import submission_for_payment

    # What the case, its hooks and the emails (_notify_paid) read: the submission with its service and
    # department (kept per content version), without its copy of the form definition (large JSON).
    # Assigning it also gives the submission its payment (a one-to-one), so hooks that ask for it (the
    # certificate order's paid_at) read this one instead of the database.
    payment.submission = submission_for_payment(pk=payment.submission_id)
    return case_open(submission=payment.submission)


def _notify_paid(payment: Payment, case: Case) -> None:
    """The citizen's payment confirmation and the department's note, written with the payment and the case.

    As for a submission (applications.services), the emails' rows are part of the transaction that records
    the payment, and their tasks are queued once it commits (notifications.services._queue): one commit
    for the paid notification instead of three. A failure to write them is logged, and each row's own
    savepoint (_queue) keeps the payment and the case; if the queue is down, _queue records it on the
    notification for staff.
    """
    from amtsweg.notifications.services import notify_payment_received

    try:
        notify_payment_received(payment=payment, case=case)
    except Exception:
        logger.exception("could not queue the notifications of payment %s", payment.kassenzeichen)


# --- starting a payment ----------------------------------------------------------------


def payment_provider_slug() -> str:
    slug = settings.PAYMENTS.get("provider", "")
    if not slug or slug not in registry:
        raise PaymentError(
            _(
                "Online payment is not available at the moment. Your application is saved. "
                "You can pay later from the status page."
            ),
            status=503,
        )
    return slug


def payment_start(
    *, payment: Payment, method: str, urls_for: Callable[[PaymentTransaction], ProviderUrls], purpose: str
) -> PaymentTransaction:
    """Start paying at the provider and return the transaction to redirect to.

    A second call while a recent transaction is pending returns that one, so a
    double click or a reload gives one payment. The provider is called outside
    the row lock: a slow provider must not block notifications for this payment.
    """
    slug = payment_provider_slug()
    provider = registry.get(slug)
    allowed_methods = {m.code for m in provider.methods()}
    if allowed_methods and method not in allowed_methods:
        raise PaymentError(_("Choose how you want to pay"))
    with transaction.atomic():
        locked = _locked(payment.pk)
        recent = timezone.now() - datetime.timedelta(minutes=REUSE_PENDING_MINUTES)
        if locked.status == PaymentStatus.PENDING:
            current = locked.transactions.filter(status=TransactionStatus.PENDING, created_at__gte=recent).first()
            if current is not None:
                return _wait_for_redirect(current)
        if locked.status not in PAYABLE and locked.status != PaymentStatus.PENDING:
            raise PaymentError(_("This fee cannot be paid any more."), status=409)
        tx = PaymentTransaction.objects.create(
            payment=locked, provider=slug, method=method, amount_cents=locked.amount_cents
        )
        _payment_move(payment=locked, to=PaymentStatus.PENDING, source=Source.CITIZEN, tx=tx)
    try:
        result = provider.start(transaction=tx, method=method, purpose=purpose, urls=urls_for(tx))
    except ProviderUnavailable as exc:
        logger.warning("payment provider %s unavailable at start of %s: %s", slug, payment.kassenzeichen, exc)
        with transaction.atomic():
            locked = _locked(payment.pk)
            PaymentTransaction.objects.filter(pk=tx.pk).update(status=TransactionStatus.FAILED)
            if locked.transactions.order_by("-created_at").first() == tx:
                _payment_move(
                    payment=locked, to=PaymentStatus.FAILED, source=Source.SYSTEM, tx=tx, detail="provider unavailable"
                )
        raise PaymentError(
            _(
                "The payment service cannot be reached at the moment. Your application is saved. "
                "Please try again later from the status page."
            ),
            status=503,
        ) from exc
    PaymentTransaction.objects.filter(pk=tx.pk).update(provider_id=result.provider_id, redirect_url=result.redirect_url)
    tx.provider_id, tx.redirect_url = result.provider_id, result.redirect_url
    return tx


def _wait_for_redirect(tx: PaymentTransaction, *, seconds: float = 5.0) -> PaymentTransaction:
    """A parallel request is still talking to the provider: wait for its redirect address briefly."""
    deadline = time.monotonic() + seconds
    while not tx.redirect_url and time.monotonic() < deadline:
        time.sleep(0.1)
        tx.refresh_from_db(fields=["redirect_url", "provider_id"])
    if not tx.redirect_url:
        raise PaymentError(_("Your payment is being prepared. Please try again in a moment."), status=409)
    return tx


# --- answers from the provider -------------------------------------------------------


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    changed: bool
    payment: Payment | None = None
    reason: str = ""


def _reject(reason: str, *, provider: str, answer: ProviderAnswer | None = None) -> AnswerOutcome:
    security_log.warning(
        "payment answer rejected (%s) from %s: reference=%s provider_id=%s",
        reason,
        provider,
        getattr(answer, "merchant_reference", ""),
        getattr(answer, "provider_id", ""),
    )
    return AnswerOutcome(accepted=False, changed=False, reason=reason)


def _transaction_for(answer: ProviderAnswer, provider: str) -> PaymentTransaction | None:
    try:
        return PaymentTransaction.objects.select_related("payment").get(
            uuid=answer.merchant_reference, provider=provider
        )
    except (PaymentTransaction.DoesNotExist, ValueError, ValidationError):  # a malformed uuid is just unknown
        return None


def payment_answer_apply(
    *, provider: str, answer: ProviderAnswer, source: str, tx: PaymentTransaction | None = None
) -> AnswerOutcome:
    """Apply what a provider says about a transaction, after checking it against our records.

    ``tx``: the transaction the answer is about, if the caller has just read it with its payment (the
    browser's return); otherwise it is found by the answer's reference.
    """
    if tx is None or str(tx.uuid) != answer.merchant_reference or tx.provider != provider:
        tx = _transaction_for(answer, provider)
    if tx is None:
        return _reject("unknown reference", provider=provider, answer=answer)
    if tx.provider_id and answer.provider_id and tx.provider_id != answer.provider_id:
        return _reject("foreign transaction id", provider=provider, answer=answer)
    if answer.amount_cents is not None and answer.amount_cents != tx.amount_cents:
        return _reject("amount differs", provider=provider, answer=answer)
    if answer.currency is not None and answer.currency != tx.payment.currency:
        return _reject("currency differs", provider=provider, answer=answer)
    if answer.status == TransactionStatus.PAID and answer.amount_cents is None:
        return _reject("paid without an amount", provider=provider, answer=answer)
    # Fast path for duplicates: nothing to do, no lock and no write.
    if tx.status == answer.status or answer.status not in TRANSACTION_MOVES[tx.status]:
        return AnswerOutcome(accepted=True, changed=False, payment=tx.payment)
    with transaction.atomic():
        payment = _locked(tx.payment_id)
        tx = PaymentTransaction.objects.select_for_update().get(pk=tx.pk)
        if answer.status not in TRANSACTION_MOVES[tx.status]:
            return AnswerOutcome(accepted=True, changed=False, payment=payment)
        tx.status = answer.status
        update = ["status", "updated_at"]
        if answer.provider_id and not tx.provider_id:
            tx.provider_id = answer.provider_id
            update.append("provider_id")
        tx.save(update_fields=update)
        changed = _payment_follows(payment=payment, tx=tx, source=source)
    return AnswerOutcome(accepted=True, changed=changed, payment=payment)


def _payment_follows(*, payment: Payment, tx: PaymentTransaction, source: str) -> bool:
    if tx.status == TransactionStatus.PAID:
        if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED):
            # Two attempts both paid: the money came twice. Staff must refund one; flag it loudly.
            logger.error("payment %s was paid twice (transaction %s)", payment.kassenzeichen, tx.uuid)
            PaymentEvent.objects.create(
                payment=payment,
                transaction=tx,
                from_status=payment.status,
                to_status=payment.status,
                source=source,
                detail="paid again by a second transaction: refund it",
            )
            return True
        return _payment_move(payment=payment, to=PaymentStatus.PAID, source=source, tx=tx)
    latest = payment.transactions.order_by("-created_at", "-id").first()
    if latest is None or latest.pk != tx.pk or payment.status != PaymentStatus.PENDING:
        return False  # an older attempt failing says nothing about the current one
    target = PaymentStatus.CANCELLED if tx.status == TransactionStatus.CANCELLED else PaymentStatus.FAILED
    return _payment_move(payment=payment, to=target, source=source, tx=tx)


def payment_notification_handle(*, provider: str, request: IncomingRequest) -> tuple[int, str]:
    """Verify and apply a server-to-server notification; the HTTP status and body to answer with."""
    if provider not in registry:
        security_log.warning("notification for unknown provider %r", provider[:40])
        return 404, "unknown provider"
    plugin = registry.get(provider)
    try:
        answer = plugin.handle_notification(request=request)
    except NotificationRejected as exc:
        _reject(f"signature or format: {exc}", provider=provider)
        return plugin.notification_ack(accepted=False)
    outcome = payment_answer_apply(provider=provider, answer=answer, source=Source.NOTIFICATION)
    return plugin.notification_ack(accepted=outcome.accepted)


def payment_return_handle(*, tx: PaymentTransaction, request: IncomingRequest) -> AnswerOutcome:
    """The citizen's browser came back. Trust it only as far as the provider confirms it."""
    plugin = registry.get(tx.provider)
    try:
        answer = plugin.handle_return(transaction=tx, request=request)
    except NotificationRejected as exc:
        return _reject(f"return: {exc}", provider=tx.provider)
    except ProviderUnavailable:
        return AnswerOutcome(accepted=True, changed=False, payment=tx.payment, reason="unconfirmed")
    if answer.merchant_reference != str(tx.uuid):
        return _reject("return for another transaction", provider=tx.provider, answer=answer)
    return payment_answer_apply(provider=tx.provider, answer=answer, source=Source.BROWSER_RETURN, tx=tx)


# --- scheduled: reconciliation and expiry -------------------------------------------


@dataclass
class ReconcileResult:
    asked: int = 0
    changed: int = 0
    unavailable: int = 0
    expired: int = 0


def payment_reconcile(
    *, older_than_minutes: int | None = None, now: datetime.datetime | None = None
) -> ReconcileResult:
    """Ask the provider about transactions still pending after N minutes and settle them; expire what ran out."""
    now = now or timezone.now()
    minutes = settings.PAYMENTS["reconcile_after_minutes"] if older_than_minutes is None else older_than_minutes
    result = ReconcileResult()
    pending = PaymentTransaction.objects.filter(
        status=TransactionStatus.PENDING, created_at__lte=now - datetime.timedelta(minutes=minutes)
    ).exclude(provider_id="")
    for tx in pending.select_related("payment").iterator():
        if tx.provider not in registry:
            continue
        result.asked += 1
        try:
            answer = registry.get(tx.provider).query_status(transaction=tx)
        except ProviderUnavailable as exc:
            result.unavailable += 1
            logger.warning("reconciliation: provider %s unavailable for %s: %s", tx.provider, tx.uuid, exc)
            continue
        outcome = payment_answer_apply(provider=tx.provider, answer=answer, source=Source.RECONCILIATION)
        result.changed += int(outcome.changed)
    result.expired = payment_expire_due(now=now)
    return result


def payment_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Unpaid claims past their time run out. A pending one is left to reconciliation until the provider decides."""
    now = now or timezone.now()
    expired = 0
    due = Payment.objects.filter(status__in=PAYABLE, expires_at__lt=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            payment = _locked(pk)
            if payment.status in PAYABLE and payment.expires_at < now:
                expired += int(_payment_move(payment=payment, to=PaymentStatus.EXPIRED, source=Source.SYSTEM))
    return expired


# --- refunds ---------------------------------------------------------------------------


def payment_refund(*, payment: Payment, amount_cents: int, reason: str, actor: Any) -> Refund:
    """Pay back all or part of a paid fee through the provider, with a reason. Staff only."""
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.errors import CaseError
    from amtsweg.cases.models import Case
    from amtsweg.cases.services import audit_record
    from amtsweg.catalogue.money import format_cents

    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Give a reason for the refund."))
    if len(reason) > 500:
        raise CaseError(_("The reason is too long: at most 500 characters."))
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        raise CaseError(_("Enter an amount greater than zero."))
    case = Case.objects.filter(submission_id=payment.submission_id).first()
    with transaction.atomic():
        locked = _locked(payment.pk)
        if locked.status not in (PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED):
            raise CaseError(_("Only a paid fee can be refunded."))
        left = locked.amount_cents - locked.refunded_cents
        if amount_cents > left:
            raise CaseError(_("At most %(amount)s can still be refunded.") % {"amount": format_cents(left)})
        tx = locked.transactions.filter(status=TransactionStatus.PAID).order_by("created_at").first()
        if tx is None:
            raise CaseError(_("No paid transaction was found for this fee."))
        try:
            result = registry.get(tx.provider).refund(transaction=tx, amount_cents=amount_cents, reason=reason)
        except ProviderUnavailable as exc:
            raise CaseError(_("The payment provider cannot be reached. Please try again later.")) from exc
        refund = Refund.objects.create(
            payment=locked,
            transaction=tx,
            amount_cents=amount_cents,
            reason=reason,
            provider_refund_id=result.provider_refund_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        locked.refunded_cents += amount_cents
        stale_receipt, locked.receipt_pdf = locked.receipt_pdf, ""  # the next receipt lists the refund
        locked.save(update_fields=["refunded_cents", "receipt_pdf", "updated_at"])
        if stale_receipt:
            transaction.on_commit(lambda: private_files_delete(names=[stale_receipt]))
        target = (
            PaymentStatus.REFUNDED if locked.refunded_cents >= locked.amount_cents else PaymentStatus.PARTLY_REFUNDED
        )
        _payment_move(
            payment=locked,
            to=target,
            source=Source.STAFF,
            tx=tx,
            actor=actor,
            detail=f"{format_cents(amount_cents, language='de')}: {reason}",
        )
        if case is not None:
            audit_record(
                actor=actor,
                action=AuditAction.REFUND,
                case=case,
                detail=f"{amount_cents} cents: {reason}",
            )
    return refund
