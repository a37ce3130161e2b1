"""Rejecting an order paid through GiroCheckout: the refund goes to the (fake) provider over real HTTP.

If the provider cannot be reached, the rejection is undone as a whole: the
order stays in the queue and the citizen is not told anything yet.
"""

import pytest
from django.utils import translation

from amtsweg.applications.models import Submission
from amtsweg.cases.errors import CaseError
from amtsweg.catalogue.models import Service
from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.civil_status.services import certificate_order_reject
from amtsweg.payments.base import ProviderUrls
from amtsweg.payments.constants import PaymentStatus, Source
from amtsweg.payments.models import Refund
from amtsweg.payments.registry import registry
from amtsweg.payments.services import payment_answer_apply
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for
from tests.payments.conftest import fake_girocheckout  # noqa: F401  (fixture)
from tests.payments.factories import PaymentFactory, PaymentTransactionFactory

from .fulfilment import back_office, standesamt_staff  # noqa: F401

pytestmark = pytest.mark.usefixtures("back_office")


@pytest.fixture
def paid_at_girocheckout(forms, fake_girocheckout):  # noqa: F811
    submission = SubmissionFactory(form_version=form_version_for(Service.objects.get(slug="geburtsurkunde")))
    payment = PaymentFactory(submission=submission, amount_cents=1800, status=PaymentStatus.PENDING)
    tx = PaymentTransactionFactory(payment=payment, provider="girocheckout", amount_cents=1800)
    provider = registry.get("girocheckout")
    urls = ProviderUrls(
        return_url="https://amtsweg.example/zurueck/",
        cancel_url="https://amtsweg.example/abgebrochen/",
        notify_url=fake_girocheckout.sink_url,
    )
    tx.provider_id = provider.start(transaction=tx, method="", purpose=submission.reference, urls=urls).provider_id
    tx.save(update_fields=["provider_id"])
    fake_girocheckout.pay(tx.provider_id, "success", notify=False)
    outcome = payment_answer_apply(
        provider="girocheckout", answer=provider.query_status(transaction=tx), source=Source.RECONCILIATION
    )
    assert outcome.changed
    return tx


def test_the_rejection_refunds_at_the_provider(paid_at_girocheckout, fake_girocheckout):  # noqa: F811
    order = CertificateOrder.objects.get(case__submission__payment=paid_at_girocheckout.payment)
    certificate_order_reject(order=order, actor=standesamt_staff(), reason="Kein Eintrag in Kassel.")
    booked = fake_girocheckout.transactions[paid_at_girocheckout.provider_id]
    assert booked.refunded == 1800
    refund = Refund.objects.get()
    assert booked.refunds[0]["reference"] == refund.provider_refund_id
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED


def test_an_unreachable_provider_undoes_the_rejection(paid_at_girocheckout, fake_girocheckout):  # noqa: F811
    order = CertificateOrder.objects.get(case__submission__payment=paid_at_girocheckout.payment)
    fake_girocheckout.down = True
    with translation.override("de"), pytest.raises(CaseError, match="Zahlungsanbieter ist nicht erreichbar"):
        certificate_order_reject(order=order, actor=standesamt_staff(), reason="Kein Eintrag in Kassel.")
    order.refresh_from_db()
    assert order.status == OrderStatus.QUEUED
    assert order.case.status == "received" and not order.case.rejection_reason
    assert Submission.objects.get().payment.status == PaymentStatus.PAID
    assert not Refund.objects.exists()
