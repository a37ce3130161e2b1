"""The demo's certificate orders (make run): paid the real way, in the queue, one overdue."""

from amtsweg.civil_status.constants import OrderStatus
from amtsweg.civil_status.demo import certificate_orders_demo_load
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.civil_status.selectors import order_is_overdue
from amtsweg.payments.constants import PaymentStatus

from .fulfilment import back_office  # noqa: F401


def test_demo_orders_are_paid_queued_and_loaded_once(forms, back_office):  # noqa: F811
    assert certificate_orders_demo_load() == 4
    orders = list(CertificateOrder.objects.select_related("case__submission__payment"))
    assert {o.status for o in orders} == {OrderStatus.QUEUED}
    assert {o.case.submission.payment.status for o in orders} == {PaymentStatus.PAID}
    assert sum(order_is_overdue(o) for o in orders) == 1
    assert certificate_orders_demo_load() == 0
