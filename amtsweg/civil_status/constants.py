from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrderStatus(models.TextChoices):
    """Where a certificate order stands in the Standesamt's fulfilment."""

    QUEUED = "queued", _("Waiting to be printed")
    PRINTED = "printed", _("Printed")
    QUERY = "query", _("Question to the citizen")
    SENT = "sent", pgettext_lazy("certificate order", "Sent")
    REJECTED = "rejected", _("Rejected")


# Orders still to be worked on: in the queue, counted as overdue after their due date.
OPEN_STATUSES = frozenset({OrderStatus.QUEUED, OrderStatus.PRINTED, OrderStatus.QUERY})
# "Versendet" needs the order sheet printed first: the certificate is made from it.
SENDABLE = frozenset({OrderStatus.PRINTED, OrderStatus.QUERY})
MAX_TEXT = 2000
