from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What an email is about. The value is also the name of its templates (``notifications/<kind>.<lang>.txt``)."""

    SUBMISSION_CONFIRMATION = "submission_confirmation", _("Confirmation of the application")
    DEPARTMENT_NEW_SUBMISSION = "department_new_submission", _("New application (to the department)")
    CASE_STATUS_CHANGED = "case_status_changed", _("Status changed")
    CASE_MESSAGE = "case_message", _("Message to the citizen")
    CASE_DOCUMENTS_REQUESTED = "case_documents_requested", _("Documents requested")
    CASE_COMPLETED = "case_completed", _("Application completed")
    CASE_REJECTED = "case_rejected", _("Application rejected")
    PAYMENT_RECEIVED = "payment_received", _("Payment received (with the receipt)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Minutes to wait before the 2nd, 3rd, ... attempt; the last value repeats.
RETRY_BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 6
