"""From the citizen's order to the refund: the Geburtsurkunde form, the demo provider, the queue, a rejection.

The demo provider is driven as the browser does (its hosted page, the
return), and the refund reaches the provider's own books.
"""

import pytest
from django.core import mail

from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.civil_status.services import certificate_order_reject
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.contrib.demo.models import DemoProviderTransaction
from amtsweg.payments.models import Payment

from .fulfilment import back_office, standesamt_staff  # noqa: F401
from .ordering import GEBURTSURKUNDE, birth_certificate_steps, walk

pytestmark = [pytest.mark.usefixtures("back_office"), pytest.mark.django_db(transaction=True)]


def pay_for_two_birth_certificates(client):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps(copies=2))
    pay_url = client.post(f"{GEBURTSURKUNDE}pruefen/", {"declaration": "yes"})["Location"]
    assert CertificateOrder.objects.count() == 0  # not paid yet: not in the queue
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    back = client.post(demo_url, {"outcome": "paid"})["Location"]
    client.get(back)


def test_a_paid_order_enters_the_queue_and_a_rejection_refunds_it_at_the_provider(client, forms, run_tasks):
    pay_for_two_birth_certificates(client)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PAID and payment.amount_cents == 1800
    queued = CertificateOrder.objects.get()
    assert queued.status == OrderStatus.QUEUED and queued.paid_at == payment.paid_at
    run_tasks()
    mail.outbox.clear()

    certificate_order_reject(
        order=queued, actor=standesamt_staff(), reason="Die Geburt ist nicht in Kassel beurkundet."
    )
    run_tasks()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_cents == 1800
    assert DemoProviderTransaction.objects.get().refunded_cents == 1800
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert "Die Geburt ist nicht in Kassel beurkundet." in message.body
