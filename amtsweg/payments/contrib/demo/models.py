"""The demo provider's own books, kept in its plugin like a vendor's data."""

from django.db import models


class DemoProviderTransaction(models.Model):
    """The demo provider's own books: what it knows about a payment, as a real provider would.

    Kept apart from our ``PaymentTransaction`` on purpose: our side learns the
    outcome only through the provider's redirect, notification and status query.
    """

    id = models.CharField(primary_key=True, max_length=40)
    merchant_reference = models.CharField(max_length=100)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    purpose = models.CharField(max_length=200)
    method = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, default="pending")
    # "processing": the tester chose a delayed notification; the outcome counts from settle_at on.
    outcome = models.CharField(max_length=20, blank=True)
    settle_at = models.DateTimeField(null=True, blank=True)
    refunded_cents = models.PositiveIntegerField(default=0)
    return_url = models.URLField(max_length=1000)
    cancel_url = models.URLField(max_length=1000)
    notify_url = models.URLField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table it had when it lived in the payments app: existing databases keep their rows.
        db_table = "payments_demoprovidertransaction"

    def __str__(self) -> str:
        return self.id
