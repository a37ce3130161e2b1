"""Reads of payments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from .base import PaymentMethod
from .fees import FeeLine
from .models import Payment, PaymentEvent, PaymentTransaction, Refund
from .registry import registry

if TYPE_CHECKING:
    from amtsweg.applications.models import Submission


def payment_for_citizen(*, session, uuid: str) -> Payment:  # type: ignore[no-untyped-def]
    """A payment whose submission this browser session may see (see applications.selectors); else 404."""
    payment = get_object_or_404(
        Payment.objects.select_related("submission", "submission__service", "submission__service__department")
        # The submission's copy of its form definition (15 kB of JSON for a certificate) is not needed here.
        .defer("submission__definition"),
        uuid=uuid,
    )
    if str(payment.submission.uuid) not in session.get("status_access", []):
        raise Http404("no access")
    return payment


def payment_of_submission(*, submission: Submission) -> Payment | None:
    return Payment.objects.filter(submission=submission).first()


def payment_refreshed(*, pk: int) -> Payment:
    return (
        Payment.objects.select_related("submission", "submission__service").defer("submission__definition").get(pk=pk)
    )


def transaction_for_return(*, payment_uuid: str, tx_uuid: str) -> PaymentTransaction:
    try:
        return PaymentTransaction.objects.select_related("payment").get(uuid=tx_uuid, payment__uuid=payment_uuid)
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
