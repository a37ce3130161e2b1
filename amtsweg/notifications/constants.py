from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What an email is about.

    The emails about a submission and its case are built here, from the templates named after the value
    (``notifications/<kind>.<lang>.txt``). The others are built by the module they are about, through the
    class that ``notifications.kinds.EMAIL_KINDS`` names for them.
    """

    SUBMISSION_CONFIRMATION = "submission_confirmation", _("Confirmation of the application")
    DEPARTMENT_NEW_SUBMISSION = "department_new_submission", _("New application (to the department)")
    CASE_STATUS_CHANGED = "case_status_changed", _("Status changed")
    CASE_MESSAGE = "case_message", _("Message to the citizen")
    CASE_DOCUMENTS_REQUESTED = "case_documents_requested", _("Documents requested")
    CASE_COMPLETED = "case_completed", _("Application completed")
    CASE_REJECTED = "case_rejected", _("Application rejected")
    PAYMENT_RECEIVED = "payment_received", _("Payment received (with the receipt)")
    DRAFT_RESUME_LINK = "draft_resume_link", _("Link to continue an application")
    LOGIN_LINK = "login_link", _("Login link")
    APPOINTMENT_CONFIRM_LINK = "appointment_confirm_link", _("Appointment: link to confirm")
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _("Appointment confirmed (with the calendar entry)")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    APPOINTMENT_CANCELLED_BY_OFFICE = "appointment_cancelled_by_office", _("Appointment cancelled by the office")
    RAFFLE_WON = "feedback_raffle_won", _("Raffle: prize won")
    TRANSFER_OBJECTION = "transfer_objection", _("Objection to a data transfer entered")
    BLOCK_REMINDER = "block_reminder", _("Information block ends soon")
    BLOCK_REMINDER_STAFF = "block_reminder_staff", _("Information block ends soon (to the department)")
    MARRIAGE_PARTNER_LINK = "marriage_partner_link", _("Notice of marriage: the partner's own link")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Minutes to wait before the 2nd, 3rd, ... attempt; the last value repeats.
RETRY_BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 6
