import datetime

import factory
from django.utils import timezone

from amtsweg.payments.constants import CURRENCY, PaymentStatus, TransactionStatus
from amtsweg.payments.models import Payment, PaymentTransaction
from tests.applications.factories import SubmissionFactory

ITEMS = [
    {"code": "first-copy", "label": {"de": "Erste Urkunde", "en": "First copy"}, "unit_cents": 1200, "quantity": 1,
     "total_cents": 1200},
    {"code": "further-copy", "label": {"de": "Jede weitere Urkunde", "en": "Each extra copy"}, "unit_cents": 600,
     "quantity": 2, "total_cents": 1200},
]  # fmt: skip


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    submission = factory.SubFactory(SubmissionFactory)
    kassenzeichen = factory.Sequence(lambda n: f"6626{n:07d}0")
    currency = CURRENCY
    amount_cents = 2400
    items = factory.LazyFunction(lambda: [dict(item) for item in ITEMS])
    status = PaymentStatus.OPEN
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=48))


class PaymentTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentTransaction

    payment = factory.SubFactory(PaymentFactory)
    provider = "demo"
    amount_cents = factory.SelfAttribute("payment.amount_cents")
    status = TransactionStatus.PENDING


def paid_payment(**kwargs):
    """A payment settled through one paid transaction, as after a successful checkout."""
    payment = PaymentFactory(status=PaymentStatus.PAID, paid_at=timezone.now(), provider="demo", **kwargs)
    PaymentTransactionFactory(payment=payment, status=TransactionStatus.PAID, provider_id=f"demo_{payment.pk}")
    return payment
