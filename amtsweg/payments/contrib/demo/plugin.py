"""The demo payment provider: a hosted payment page served by this app, for development and demos.

It behaves like a real provider so that the whole payment path can be used
without one: its page (``payments.contrib.demo.views``) lets the tester pick
success, failure, cancel, or success with a delayed notification; its
notification is a real HTTP request, signed with HMAC-SHA256, to our
notification endpoint (sent by the task ``demo_notification_send``); its
status query answers from its own books (``DemoProviderTransaction``), never
from ours. Production refuses it (settings/production.py).

Signature header: ``X-Demo-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
Notifications older than ``MAX_AGE_SECONDS`` are refused as replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...base import (
    IncomingRequest,
    NotificationRejected,
    PaymentMethod,
    PaymentProvider,
    ProviderAnswer,
    ProviderUrls,
    RefundResult,
    StartResult,
)
from ...constants import TransactionStatus
from ...registry import register

if TYPE_CHECKING:
    from ...models import PaymentTransaction

MAX_AGE_SECONDS = 300
SIGNATURE_HEADER = "X-Demo-Signature"

# The demo provider's own words for a transaction's state.
OUTCOMES = {
    "pending": TransactionStatus.PENDING,
    "processing": TransactionStatus.PENDING,
    "paid": TransactionStatus.PAID,
    "failed": TransactionStatus.FAILED,
    "cancelled": TransactionStatus.CANCELLED,
}


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(body: bytes, header: str, *, secret: str, now: float | None = None) -> None:
    """Raise NotificationRejected unless ``header`` signs ``body`` and is recent."""
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise NotificationRejected("no signature") from None
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise NotificationRejected("wrong signature")
    if abs((time.time() if now is None else now) - timestamp) > MAX_AGE_SECONDS:
        raise NotificationRejected("too old: a replay")


def answer_from_books(record: Any) -> ProviderAnswer:
    """What the demo provider says about one of its transactions."""
    from django.utils import timezone

    state = record.status
    if state == "processing" and record.settle_at and record.settle_at <= timezone.now():
        state = record.outcome
    return ProviderAnswer(
        merchant_reference=record.merchant_reference,
        provider_id=record.id,
        status=OUTCOMES.get(state, TransactionStatus.PENDING),
        amount_cents=record.amount_cents,
        currency=record.currency,
        raw={"status": state},
    )


@register("demo")
class DemoProvider(PaymentProvider):
    verbose_name = _("Demo payment provider")

    @property
    def secret(self) -> str:
        return str(self.config.get("secret", ""))

    def methods(self) -> list[PaymentMethod]:
        return [
            PaymentMethod("card", _("Credit or debit card")),
            PaymentMethod("paypal", _("PayPal")),
            PaymentMethod("sepa", _("Direct debit (SEPA)")),
        ]

    def check_configuration(self, *, production: bool) -> list[str]:
        problems = []
        if production:
            problems.append("the demo provider is not allowed in production")
        if not self.secret:
            problems.append("PAYMENT_DEMO_SECRET is empty")
        return problems

    def start(self, *, transaction: PaymentTransaction, method: str, purpose: str, urls: ProviderUrls) -> StartResult:
        from .models import DemoProviderTransaction

        record = DemoProviderTransaction.objects.create(
            id=f"demo_{secrets.token_hex(12)}",
            merchant_reference=str(transaction.uuid),
            amount_cents=transaction.amount_cents,
            currency=transaction.payment.currency,
            purpose=purpose[:200],
            method=method,
            return_url=urls.return_url,
            cancel_url=urls.cancel_url,
            notify_url=urls.notify_url,
        )
        return StartResult(provider_id=record.id, redirect_url=reverse("payments_demo:page", args=[record.id]))

    def handle_return(self, *, transaction: PaymentTransaction, request: IncomingRequest) -> ProviderAnswer:
        # The browser's return carries nothing we trust: ask the provider's books.
        return self.query_status(transaction=transaction)

    def handle_notification(self, *, request: IncomingRequest) -> ProviderAnswer:
        verify(request.body, request.headers.get(SIGNATURE_HEADER, ""), secret=self.secret)
        try:
            data = json.loads(request.body)
            return ProviderAnswer(
                merchant_reference=str(data["merchant_reference"]),
                provider_id=str(data["id"]),
                status=OUTCOMES[data["status"]],
                amount_cents=int(data["amount_cents"]),
                currency=str(data["currency"]),
                raw=data,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise NotificationRejected(f"malformed: {exc.__class__.__name__}") from None

    def query_status(self, *, transaction: PaymentTransaction) -> ProviderAnswer:
        from .models import DemoProviderTransaction

        record = DemoProviderTransaction.objects.filter(id=transaction.provider_id).first()
        if record is None:
            return ProviderAnswer(merchant_reference=str(transaction.uuid), status=TransactionStatus.PENDING)
        return answer_from_books(record)

    def refund(self, *, transaction: PaymentTransaction, amount_cents: int, reason: str) -> RefundResult:
        from django.db.models import F

        from .models import DemoProviderTransaction

        DemoProviderTransaction.objects.filter(id=transaction.provider_id).update(
            refunded_cents=F("refunded_cents") + amount_cents
        )
        return RefundResult(provider_refund_id=f"demo_refund_{secrets.token_hex(8)}", completed=True)


def notification_body(record: Any, status: str) -> bytes:
    data: Mapping[str, Any] = {
        "id": record.id,
        "merchant_reference": record.merchant_reference,
        "status": status,
        "amount_cents": record.amount_cents,
        "currency": record.currency,
    }
    return json.dumps(data, separators=(",", ":")).encode()
