"""Anonymous usage figures that outlive the personal data of a case.

``CaseRecord``: one row per online case, written when the case is received and
completed when it closes, or one row per batch of counter transactions that
staff record. No reference number, name or answer, so retention can delete the
case and the figures remain. ``AppointmentRecord``: one row per confirmed
appointment and what became of it. ``FunnelCount``: how many citizens reached
each step of a form, per day, counted without cookies or personal data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AppointmentOutcome, Channel, FunnelKind


class CaseRecord(models.Model):
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalogue.Department", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    # How many transactions the row stands for: 1 for a case, the batch's size for counter transactions.
    count = models.PositiveIntegerField(default=1)
    # The day the case was received (the day of the counter transactions).
    submitted_on = models.DateField(db_index=True)
    # None while the case is open.
    closed_on = models.DateField(null=True, blank=True)
    final_status = models.CharField(max_length=40, blank=True)
    # Working days (Hesse) from receipt to closing, and whether that kept the service's processing deadline.
    working_days = models.PositiveIntegerField(null=True, blank=True)
    within_target = models.BooleanField(null=True, blank=True)
    # What the citizen paid online for the case, in cents (0: free, or not paid).
    paid_cents = models.PositiveIntegerField(default=0)
    # For a form with a checklist (documents and outcomes): whether the case ended without an appointment;
    # None for any other service, which the share of avoided appointments leaves out.
    without_appointment = models.BooleanField(null=True, blank=True)
    # A service module's own anonymous figures of the case (cases.hooks ``statistics``), e.g. the immigration
    # office's topic, outcome and hours to the first contact: codes and numbers only, never a name or a text.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case record (anonymous)")
        verbose_name_plural = _("case records (anonymous)")
        permissions = [
            ("view_figures", _("Can view the usage figures")),
            ("record_counter", _("Can record counter transactions")),
        ]
        indexes = [
            models.Index(fields=["submitted_on", "service"], name="caserecord_day_service"),
            models.Index(fields=["department", "submitted_on"], name="caserecord_department_day"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.submitted_on} {self.final_status}"


class AppointmentRecord(models.Model):
    """One confirmed appointment, without who booked it: service, place, day and what became of it."""

    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalogue.Department", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("catalogue.Location", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    outcome = models.CharField(max_length=20, choices=AppointmentOutcome.choices, default=AppointmentOutcome.BOOKED)

    class Meta:
        verbose_name = _("appointment record (anonymous)")
        verbose_name_plural = _("appointment records (anonymous)")
        indexes = [models.Index(fields=["day", "service"], name="appointmentrecord_day_service")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day} {self.outcome}"


class FunnelCount(models.Model):
    """How often, on one day, citizens reached one point of one version of a service's form.

    ``kind`` says what was counted (see ``FunnelKind``); ``step`` is the step's key (empty for started and
    submitted), ``field`` the field whose error was met (empty: the step's own rule), ``position`` the step's
    place in the form, for ordering. A count, never a visitor: no cookie, no session id, no answer."""

    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    form_version = models.PositiveIntegerField()
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=FunnelKind.choices)
    step = models.CharField(max_length=100, blank=True)
    field = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("form funnel count (anonymous)")
        verbose_name_plural = _("form funnel counts (anonymous)")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "form_version", "day", "kind", "step", "field"], name="funnelcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.form_version} {self.day} {self.kind} {self.step} {self.field}"
