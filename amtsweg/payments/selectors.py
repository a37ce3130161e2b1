"""Reads of payments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from amtsweg.applications.access import status_access_has
from amtsweg.catalogue.selectors import service_with_department

from .base import PaymentMethod
from .fees import FeeLine
from .models import Payment, PaymentEvent, PaymentTransaction, Refund
from .registry import registry

if TYPE_CHECKING:
    from amtsweg.applications.models import Submission


def _with_service(submission: Submission) -> Submission:
    submission.service = service_with_department(pk=submission.service_id)
    return submission


def payment_for_citizen(*, session, uuid: str) -> Payment:  # type: ignore[no-untyped-def]
    """A payment whose submission this browser session may see (see applications.access); else 404.

    With its submission, and the submission's service and department (the process's copy).
    """
    payment = get_object_or_404(
        # The submission's copy of its form definition (15 kB of JSON for a certificate) is not needed here.
        Payment.objects.select_related("submission").defer("submission__definition"),
        uuid=uuid,
    )
    if not status_access_has(session=session, submission_uuid=payment.submission.uuid):
        raise Http404("no access")
    _with_service(payment.submission)
    return payment


def payment_of_submission(*, submission: Submission) -> Payment | None:
    """The submission's payment; the one this request already holds for it (``payment_create`` attaches the
    new claim to its submission) without reading it again."""
    from amtsweg.applications.models import Submission

    if Submission.payment.is_cached(submission):
        try:
            return submission.payment
        except Payment.DoesNotExist:
            return None
    return next(iter(Payment.objects.filter(submission=submission)[:1]), None)  # one at most: no ORDER BY


def payment_refreshed(*, pk: int) -> Payment:
    payment = Payment.objects.select_related("submission").defer("submission__definition").get(pk=pk)
    _with_service(payment.submission)
    return payment


def submission_for_payment(*, pk: int) -> Submission:
    """The submission with its service and department, without its copy of the form definition."""
    from amtsweg.applications.models import Submission

    return _with_service(Submission.objects.defer("definition").get(pk=pk))


def transaction_for_return(*, payment_uuid: str, tx_uuid: str) -> PaymentTransaction:
    try:
        # With the submission (without its copy of the form definition), which the return page needs.
        return (
            PaymentTransaction.objects.select_related("payment__submission")
            .defer("payment__submission__definition")
            .get(uuid=tx_uuid, payment__uuid=payment_uuid)
        )
    except (PaymentTransaction.DoesNotExist, ValidationError):
        raise Http404("no such payment") from None


def payment_methods() -> list[PaymentMethod]:
    slug = settings.PAYMENTS.get("provider", "")
    if not slug or slug not in registry:
        return []
    return registry.get(slug).methods()


def payment_lines(*, payment: Payment) -> list[FeeLine]:
    return [FeeLine.from_json(item) for item in payment.items]


def payment_history(*, payment: Payment) -> list[PaymentEvent]:
    return list(payment.events.select_related("transaction", "actor"))


def payment_refunds(*, payment: Payment) -> list[Refund]:
    return list(payment.refunds.select_related("created_by"))


def payment_paid_transaction(*, payment: Payment) -> PaymentTransaction | None:
    return payment.transactions.filter(status="paid").order_by("created_at").first()
