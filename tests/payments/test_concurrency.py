"""32 deliveries of the same notification at once, over HTTP to the live server: one change, no errors."""

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.contrib.demo.plugin import SIGNATURE_HEADER, sign
from amtsweg.payments.models import PaymentEvent
from tests.payments.factories import PaymentTransactionFactory

DUPLICATES = 32


@pytest.mark.django_db(transaction=True)
def test_32_concurrent_duplicate_notifications_change_the_payment_once(live_server, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    tx = PaymentTransactionFactory(payment__status=PaymentStatus.PENDING, provider_id="demo_race")
    body = json.dumps(
        {
            "id": tx.provider_id,
            "merchant_reference": str(tx.uuid),
            "status": "paid",
            "amount_cents": tx.amount_cents,
            "currency": "EUR",
        }
    ).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(body, secret=settings.PAYMENTS["providers"]["demo"]["secret"]),
    }
    url = live_server.url + "/zahlung/benachrichtigung/demo/"

    def deliver(_: int) -> int:
        # The test server's listen backlog is small, so some connections are reset;
        # like a provider, redeliver those (all 32 still race each other).
        for _attempt in range(10):
            try:
                return httpx.post(url, content=body, headers=headers, timeout=30).status_code
            except httpx.TransportError:
                continue
        return 0

    with ThreadPoolExecutor(max_workers=DUPLICATES) as pool:
        statuses = list(pool.map(deliver, range(DUPLICATES)))

    assert statuses == [200] * DUPLICATES
    tx.payment.refresh_from_db()
    assert tx.payment.status == PaymentStatus.PAID
    assert PaymentEvent.objects.filter(payment=tx.payment, to_status=PaymentStatus.PAID).count() == 1
    assert tx.payment.submission.case is not None
