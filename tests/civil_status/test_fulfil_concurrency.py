"""Clerks pressing "Ablehnen" on the same order at once: one rejection, one refund, the others told why."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from amtsweg.civil_status.constants import OrderStatus
from amtsweg.payments.models import Refund

from .fulfilment import back_office, order, standesamt_staff  # noqa: F401

pytestmark = [pytest.mark.usefixtures("back_office"), pytest.mark.django_db(transaction=True)]
CLERKS = 6


def test_simultaneous_rejections_refund_once(forms):
    created = order()
    clients = []
    for _ in range(CLERKS):
        client = Client()
        client.force_login(standesamt_staff())
        clients.append(client)
    url = f"/intern/urkunden/{created.uuid}/"

    def reject(client: Client) -> tuple[int, str]:
        try:
            response = client.post(url, {"action": "reject", "reject-reason": "Kein Eintrag in Kassel."})
            return response.status_code, response.content.decode()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLERKS) as pool:
        answers = list(pool.map(reject, clients))

    statuses = sorted(status for status, _body in answers)
    assert statuses == [303] + [400] * (CLERKS - 1), statuses
    assert all("abgelehnt" in body for status, body in answers if status == 400)
    created.refresh_from_db()
    assert created.status == OrderStatus.REJECTED
    assert Refund.objects.count() == 1
