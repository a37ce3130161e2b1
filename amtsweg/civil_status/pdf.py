"""The print run of certificate orders: a cover letter for a DIN 5008 window envelope and an order sheet, per order.

The cover letter is written in the citizen's language and lays the address
into the window of a DL/C5 envelope (DIN 5008 form B: address field 45 mm
from the top, 20 mm from the left, 85 x 45 mm). The order sheet is for the
registry office (German): the certificate itself is issued from the registry
software with it. One PDF for one order or for the whole day's batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from amtsweg.cases.selectors import case_answer_rows
from amtsweg.catalogue.money import format_cents
from amtsweg.core.i18n import language_or_default
from amtsweg.documents.pdf import render_pdf

from . import selectors
from .models import CertificateOrder


def _sender(department: Any) -> dict[str, str]:
    location = getattr(department, "main_location", None)
    street = location.street if location else ""
    town = " ".join(filter(None, [location.postcode, location.city])) if location else ""
    return {
        "name": department.name,
        "street": street,
        "town": town,
        "phone": department.phone,
        "email": department.email,
    }


def _order_context(order: CertificateOrder) -> dict[str, Any]:
    from amtsweg.payments.models import Payment

    case = order.case
    submission = case.submission
    payment = Payment.objects.filter(submission_id=submission.pk).first()
    fee_lines = []
    if payment is not None:
        for item in payment.items:
            label = item.get("label") or {}
            fee_lines.append(
                {
                    "label": label.get("de") or next(iter(label.values()), "") if isinstance(label, dict) else label,
                    "quantity": item.get("quantity", ""),
                    "total": format_cents(int(item.get("total_cents", 0)), language="de"),
                }
            )
    return {
        "order": order,
        "case": case,
        "service": case.service,
        "address": selectors.order_postal_address(case=case),
        # The letter greets the person it is addressed to by name (the address's first line).
        "recipient_name": case.applicant_name,
        "copies": selectors.order_copies(case=case),
        "needs_review": selectors.order_needs_review(case=case),
        "payment": payment,
        "fee_lines": fee_lines,
        "fee_total": format_cents(payment.amount_cents, language="de") if payment else "",
        "sender": _sender(case.department),
        "city": settings.PORTAL["city"],
        "today": timezone.localdate(),
    }


def _letter(order: CertificateOrder, context: dict[str, Any]) -> str:
    language = language_or_default(order.case.submission.language)
    with translation.override(language):
        return render_to_string(
            "civil_status/pdf/_letter.html",
            {**context, "language": language, "service_name": order.case.service.name},
        )


def _sheet(order: CertificateOrder, context: dict[str, Any]) -> str:
    with translation.override("de"):
        answers = case_answer_rows(case=order.case)
        return render_to_string("civil_status/pdf/_sheet.html", {**context, "answers": answers})


def orders_pdf(*, orders: Sequence[CertificateOrder]) -> bytes:
    """One PDF with, for each order, the cover letter and then the order sheet."""
    parts = []
    for order in orders:
        context = _order_context(order)
        parts.append({"letter": mark_safe(_letter(order, context)), "sheet": mark_safe(_sheet(order, context))})  # noqa: S308 - rendered by our templates with autoescape
    with translation.override("de"):
        return render_pdf(
            template_name="civil_status/pdf/orders.html",
            context={"parts": parts, "count": len(orders), "city": settings.PORTAL["city"]},
        )
