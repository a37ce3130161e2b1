"""A few paid certificate orders for the demo (``make run``), so the Standesamt's queue is not empty.

They go the real way: a submission, its fee from the catalogue, a payment
that the demo provider reports as paid (which opens the case and queues the
order through the case hooks). Only their payment times are moved back, so
that the queue shows an order due today and one overdue.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amtsweg.applications.models import FormVersion, Submission
from amtsweg.applications.references import access_code_hash, access_code_new, reference_allocate
from amtsweg.catalogue.models import Service
from amtsweg.core.workdays import is_working_day
from amtsweg.payments.base import ProviderUrls
from amtsweg.payments.constants import Source
from amtsweg.payments.contrib.demo.models import DemoProviderTransaction
from amtsweg.payments.fees import fee_quote
from amtsweg.payments.models import PaymentTransaction
from amtsweg.payments.registry import registry
from amtsweg.payments.services import payment_answer_apply, payment_create, payment_start

from . import selectors
from .models import CertificateOrder

DELIVERY = {"street": "Wilhelmshöher Allee", "number": "19", "postcode": "34117", "town": "Kassel"}
DEMO_ORDERS = [
    # (service, given names, family name, copies, working days ago)
    ("geburtsurkunde", "Erika", "Mustermann", 2, 3),
    ("eheurkunde", "Jonas", "Beispiel", 1, 1),
    ("sterbeurkunde", "Leonie", "Probe", 3, 0),
    ("geburtsurkunde", "Ali", "Yılmaz", 1, 0),
]


def _no_browser(tx: PaymentTransaction) -> ProviderUrls:
    home = settings.PORTAL.get("base_url", "http://127.0.0.1:8000")
    return ProviderUrls(return_url=home, cancel_url=home, notify_url=home)


def _working_days_back(days: int) -> datetime.date:
    day = timezone.localdate()
    while days > 0 or not is_working_day(day):
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def certificate_orders_demo_load() -> int:
    """Create the demo orders unless there are orders already; returns how many were created.

    Needs the demo payment provider (``PAYMENT_PROVIDER=demo``); without it nothing is created.
    """
    if CertificateOrder.objects.exists() or settings.PAYMENTS.get("provider") != "demo":
        return 0
    created = 0
    for slug, given, family, copies, days_ago in DEMO_ORDERS:
        service = Service.objects.filter(slug=slug).first()
        version = FormVersion.objects.filter(service__slug=slug, published=True).order_by("-number").first()
        if service is None or version is None:
            continue
        answers: dict[str, Any] = {
            "relationship": "self",
            "applicant_name": {"given_names": given, "family_name": family},
            "email": f"{given.lower()}@example.org",
            "certificate_kind": "certificate",
            "copies": copies,
            "delivery_abroad": False,
            "delivery_address": dict(DELIVERY),
        }
        quote = fee_quote(service=service, answers=answers)
        if not quote.payable:  # the demo shows paid orders only
            continue
        with transaction.atomic():
            submission = Submission.objects.create(
                reference=reference_allocate(year=timezone.localdate().year),
                access_code_hash=access_code_hash(access_code_new()),
                service=service,
                form_version=version,
                definition=version.definition,
                answers=answers,
                email=answers["email"],
                applicant_name=f"{given} {family}",
            )
            payment = payment_create(submission=submission, quote=quote)
        # Paid at the demo provider as a tester would on its page; our side learns it by asking the provider.
        tx = payment_start(payment=payment, method="card", urls_for=_no_browser, purpose=submission.reference)
        DemoProviderTransaction.objects.filter(id=tx.provider_id).update(status="paid")
        payment_answer_apply(
            provider=tx.provider,
            answer=registry.get(tx.provider).query_status(transaction=tx),
            source=Source.RECONCILIATION,
        )
        order = CertificateOrder.objects.filter(case__submission=submission).first()
        if order is None:
            continue
        paid_on = _working_days_back(days_ago)
        paid_at = timezone.make_aware(datetime.datetime.combine(paid_on, datetime.time(9, 30)))
        if paid_on != timezone.localdate():
            order.paid_at = paid_at
            order.due_on = selectors.order_due_on(service=service, paid_on=paid_on)
            order.save(update_fields=["paid_at", "due_on"])
            payment.__class__.objects.filter(pk=payment.pk).update(paid_at=paid_at)
        created += 1
    return created
