from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENCY = "EUR"  # money is whole cents of this currency everywhere


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
    PARTLY_REFUNDED = "partly_refunded", _("Partly refunded")


# The moves a payment may make. A failed or cancelled payment may be tried again
# (pending), or run out (expired). Refunds follow payment only.
TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.OPEN: frozenset({PaymentStatus.PENDING, PaymentStatus.EXPIRED}),
    PaymentStatus.PENDING: frozenset(
        {PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED}
    ),
    PaymentStatus.FAILED: frozenset({PaymentStatus.PENDING, PaymentStatus.PAID, PaymentStatus.EXPIRED}),
    PaymentStatus.CANCELLED: frozenset({PaymentStatus.PENDING, PaymentStatus.PAID, PaymentStatus.EXPIRED}),
    PaymentStatus.EXPIRED: frozenset({PaymentStatus.PAID}),
    PaymentStatus.PAID: frozenset({PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED}),
    PaymentStatus.PARTLY_REFUNDED: frozenset({PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED}),
    PaymentStatus.REFUNDED: frozenset(),
}
# A citizen may (re)start paying from these.
PAYABLE = frozenset({PaymentStatus.OPEN, PaymentStatus.FAILED, PaymentStatus.CANCELLED})
SETTLED = frozenset({PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTLY_REFUNDED})


class TransactionStatus(models.TextChoices):
    """What the provider says about one attempt to pay."""

    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# An attempt's final word cannot be overturned by a later, older message
# ("pending" after "paid"): only these moves change an attempt.
TRANSACTION_MOVES: dict[str, frozenset[str]] = {
    TransactionStatus.PENDING: frozenset(
        {TransactionStatus.PAID, TransactionStatus.FAILED, TransactionStatus.CANCELLED}
    ),
    TransactionStatus.FAILED: frozenset({TransactionStatus.PAID}),
    TransactionStatus.CANCELLED: frozenset({TransactionStatus.PAID}),
    TransactionStatus.PAID: frozenset(),
}


class Source(models.TextChoices):
    """Who caused a change of a payment."""

    CITIZEN = "citizen", _("Citizen")
    BROWSER_RETURN = "return", _("Return from the provider")
    NOTIFICATION = "notification", _("Provider notification")
    RECONCILIATION = "reconciliation", _("Reconciliation")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")
