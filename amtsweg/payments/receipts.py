"""The receipt (Quittung) for a paid fee: an A4 PDF in the citizen's language, generated once and kept.

Money is whole cents throughout and is formatted with ``format_cents``; the
lines are the fee lines frozen with the payment, never recomputed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from amtsweg.catalogue.money import format_cents
from amtsweg.core.i18n import language_or_default
from amtsweg.documents.pdf import render_pdf
from amtsweg.documents.services import stored_pdf

from .constants import SETTLED, TransactionStatus
from .fees import FeeLine
from .models import Payment, PaymentTransaction
from .registry import registry

__all__ = ["RECEIPT_FOLDER", "payment_receipt_pdf", "payment_receipt_store"]

RECEIPT_FOLDER = "receipts"
TEMPLATE = "documents/payment_receipt.html"


def _paid_transaction(payment: Payment) -> PaymentTransaction | None:
    """The attempt that paid the fee: the first paid one, as refunds also use it."""
    return payment.transactions.filter(status=TransactionStatus.PAID).order_by("created_at", "pk").first()


def _payment_method(payment: Payment, tx: PaymentTransaction | None) -> str:
    """How the fee was paid, for people: "Credit or debit card (Demo payment provider)"; empty if unknown."""
    provider_slug = (tx.provider if tx else "") or payment.provider
    method_code = tx.method if tx else ""
    provider_name = ""
    method_name = method_code
    if provider_slug in registry:
        provider = registry.get(provider_slug)
        provider_name = str(provider.verbose_name or provider_slug)
        for method in provider.methods():
            if method.code == method_code:
                method_name = str(method.label)
                break
    else:
        provider_name = provider_slug
    if method_name and provider_name:
        return f"{method_name} ({provider_name})"
    return method_name or provider_name


def _department_contact(department: Any) -> dict[str, str]:
    location = department.main_location
    address = ""
    if location is not None:
        town = " ".join(part for part in (location.postcode, location.city) if part)
        address = ", ".join(part for part in (location.street, town) if part)
    return {
        "name": department.name,
        "address": address,
        "email": department.email or (location.email if location is not None else ""),
        "phone": department.phone or (location.phone if location is not None else ""),
    }


def payment_receipt_pdf(*, payment: Payment) -> bytes:
    """An A4 receipt for a paid fee in the submission's language: who, what, how much, when and how it was paid."""
    submission = payment.submission
    language = language_or_default(submission.language)
    with translation.override(language):
        service = submission.service
        tx = _paid_transaction(payment)
        lines = []
        for item in payment.items:
            line = FeeLine.from_json(item)
            lines.append(
                {
                    "label": line.label_in(language),
                    "quantity": line.quantity,
                    "unit": format_cents(line.unit_cents, language=language),
                    "total": format_cents(line.total_cents, language=language),
                }
            )
        refunds = [
            {
                "amount": format_cents(refund.amount_cents, language=language),
                "date": timezone.localdate(refund.created_at),
            }
            for refund in payment.refunds.order_by("created_at", "pk")
        ]
        context = {
            "language": language,
            "city": settings.PORTAL["city"],
            "department": _department_contact(service.department),
            "service_name": service.name,
            "kassenzeichen": payment.kassenzeichen,
            "reference": submission.reference,
            "lines": lines,
            "total": format_cents(payment.amount_cents, language=language),
            "paid_on": timezone.localdate(payment.paid_at) if payment.paid_at else None,
            "payment_method": _payment_method(payment, tx),
            "refunds": refunds,
            "refunded_total": format_cents(payment.refunded_cents, language=language) if refunds else "",
            "net_total": format_cents(payment.amount_cents - payment.refunded_cents, language=language)
            if refunds
            else "",
        }
        return render_pdf(template_name=TEMPLATE, context=context)


def payment_receipt_store(*, payment: Payment) -> str:
    """The storage name of the payment's receipt, generated and stored on first use.

    Only a settled payment (paid, partly or wholly refunded) has a receipt;
    ValueError otherwise. A stored receipt that still exists on disk is reused.
    The PDF is rendered outside the row lock; if two callers race, the first
    stored name wins and the other file is removed.
    """
    if payment.status not in SETTLED:
        raise ValueError(f"payment {payment.kassenzeichen} is {payment.status}: only a paid fee has a receipt")
    return stored_pdf(
        instance=payment,
        field="receipt_pdf",
        render=lambda: payment_receipt_pdf(payment=payment),
        folder=RECEIPT_FOLDER,
    )
