"""Emails to citizens and departments, one row per message, so that retries are idempotent.

A row is created when the email is queued. The task that sends it checks the
row first: a sent notification is never sent again. Staff see failures on the
case (``Case.notification_problem`` and a history entry) and here.

Every email goes out this way: those about a submission and its case, and those
about a draft, an appointment, a raffle entry or a login. A row is deleted with
the object it is about (the recipient's address is personal data).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import NotificationKind, NotificationStatus


class Notification(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Deleted with the case or submission (retention): the address is personal data.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    submission = models.ForeignKey(
        "applications.Submission",
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        "cases.CaseEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    draft = models.ForeignKey(
        "applications.Draft", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    appointment = models.ForeignKey(
        "appointments.Appointment", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    raffle_entry = models.ForeignKey(
        "feedback.RaffleEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # One email per occasion: "<kind>:<submission or event uuid>". A second call does not queue a second email.
    occasion = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, default="de")
    status = models.CharField(
        _("status"), max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What only this email needs and nobody may read in the database (an access code, a login link),
    # encrypted (notifications.sealing); blanked once the email is sent or given up.
    sealed = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["case", "status"], name="notification_case_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
