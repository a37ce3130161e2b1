"""A fee owed for a submission, the attempts to pay it, its history, and refunds.

Money is whole cents (``PositiveIntegerField``) in EUR: no floats anywhere.
One ``Payment`` per submission carries the Kassenzeichen (the treasury's
booking reference) and the frozen fee lines; each redirect to a provider is a
``PaymentTransaction``; every change of state is a ``PaymentEvent``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CURRENCY, PaymentStatus, Source, TransactionStatus


class Payment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.OneToOneField(
        "applications.Submission", verbose_name=_("submission"), on_delete=models.CASCADE, related_name="payment"
    )
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=32, unique=True)
    currency = models.CharField(max_length=3, default=CURRENCY)
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    # The fee lines as computed at submission: [{code, label: {de, en}, unit_cents, quantity, total_cents}].
    items = models.JSONField(_("items"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.OPEN)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    refunded_cents = models.PositiveIntegerField(_("refunded in cents"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    receipt_pdf = models.CharField(max_length=200, blank=True)  # storage name once generated

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["status", "paid_at"], name="payment_status_paid")]
        permissions = [
            ("refund_payment", _("Can refund fees")),
            ("export_treasury", _("Can export the treasury bookings")),
        ]

    def __str__(self) -> str:
        return self.kassenzeichen


class PaymentTransaction(models.Model):
    """One attempt to pay at a provider. Its ``uuid`` is our reference in the provider's records."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="transactions")
    provider = models.CharField(max_length=40)
    method = models.CharField(max_length=40, blank=True)
    provider_id = models.CharField(_("provider's transaction id"), max_length=100, blank=True)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=TransactionStatus.choices, default=TransactionStatus.PENDING)
    redirect_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_id"], condition=~models.Q(provider_id=""), name="payment_tx_provider_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_id or self.uuid}"


class PaymentEvent(models.Model):
    """One change of a payment's state, with what caused it. Append-only history."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    transaction = models.ForeignKey(
        PaymentTransaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    from_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    to_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.from_status} → {self.to_status} ({self.source})"


class Refund(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    # RESTRICT: a refund keeps its transaction, but both go when the payment goes (retention).
    transaction = models.ForeignKey(PaymentTransaction, on_delete=models.RESTRICT, related_name="refunds")
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    reason = models.CharField(_("reason"), max_length=500)
    provider_refund_id = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.payment_id}: -{self.amount_cents}"
