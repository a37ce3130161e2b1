import copy

import pytest

from tests.payments.fake_girocheckout import FakeGiroCheckout


@pytest.fixture
def fake_girocheckout(settings):
    """A fake GiroCheckout on 127.0.0.1 (random port), with our settings pointing at it."""
    fake = FakeGiroCheckout(merchant_id="3610000", project_id="37000", secret="fake-project-secret").start()
    payments = copy.deepcopy(settings.PAYMENTS)
    payments["providers"]["girocheckout"] = {
        **payments["providers"].get("girocheckout", {}),
        "base_url": fake.api_url,
        "merchant_id": fake.merchant_id,
        "project_id": fake.project_id,
        "secret": fake.secret,
        "test_mode": True,
        "timeout_seconds": 5.0,
    }
    settings.PAYMENTS = payments
    yield fake
    fake.stop()
