"""The staff side of a submission: the case, its history, messages and the audit log."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amtsweg.core import dates

from .constants import AuditAction, CaseStatus, ChecklistDecision, EventKind

RETENTION_DAYS_MOST = 36525


class ProcessingRule(models.Model):
    """Per service, from a date on: the processing deadline, extra states and the retention period."""

    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="processing_rules"
    )
    valid_from = models.DateField(_("valid from"), validators=[dates.portal_day])
    deadline_days = models.PositiveSmallIntegerField(_("processing deadline in days"), default=10)
    working_days = models.BooleanField(_("count working days only"), default=True)
    extra_states = models.JSONField(
        _("extra states"),
        default=list,
        blank=True,
        help_text=_('A list like [{"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}].'),
    )
    retention_days = models.PositiveIntegerField(
        _("retention in days after completion"),
        default=180,
        # A hundred years at most: far beyond any rule, and the date arithmetic of the retention job stays inside
        # the calendar.
        validators=[MaxValueValidator(RETENTION_DAYS_MOST)],
        help_text=_("After this, personal data of the case are deleted; anonymous counts remain."),
    )

    class Meta:
        ordering = ["service", "-valid_from"]
        verbose_name = _("processing rule")
        verbose_name_plural = _("processing rules")
        constraints = [models.UniqueConstraint(fields=["service", "valid_from"], name="processing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.service} ({self.valid_from})"


class Case(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.OneToOneField(
        "applications.Submission", on_delete=models.CASCADE, related_name="case", verbose_name=_("submission")
    )
    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey("catalogue.Department", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=40, default=CaseStatus.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    applicant_name = models.CharField(_("applicant"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    notification_problem = models.BooleanField(
        _("an email could not be sent yet"), default=False, help_text=_("Set while a notification task retries.")
    )
    # The checklist of a form with documents (applications.formengine.checklist): how many documents the
    # answers call for and how many are in, kept here for the inbox (None: the form has no checklist).
    checklist_total = models.PositiveSmallIntegerField(null=True, blank=True)
    checklist_received = models.PositiveSmallIntegerField(null=True, blank=True)
    checklist_decision = models.CharField(
        _("decision on the appointment"), max_length=20, choices=ChecklistDecision.choices, blank=True
    )
    checklist_decided_at = models.DateTimeField(null=True, blank=True)
    # The anonymous figures of the case (statistics), made when it is received and completed when it closes;
    # retention keeps them, not this link.
    statistics_record = models.OneToOneField(
        "statistics.CaseRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["department", "status", "-created_at"], name="case_inbox"),
            models.Index(fields=["department", "-created_at"], name="case_department_recent"),
            models.Index(fields=["assignee", "status"], name="case_assignee"),
            models.Index(fields=["department", "due_at"], name="case_due"),
            models.Index(fields=["applicant_name"], name="case_applicant"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """The history of a case: status changes, assignments, notes, messages, uploads."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    visible_to_citizen = models.BooleanField(default=False)
    attachments = models.ManyToManyField("applications.StoredFile", blank=True, related_name="events")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class DocumentRequest(models.Model):
    """Staff asked the citizen for documents; the citizen uploads them on the status page."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_requests")
    text = models.TextField()
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    files = models.ManyToManyField("applications.StoredFile", blank=True, related_name="document_requests")
    # The keys of the checklist's documents asked for (cases.services.case_checklist_request); empty for a
    # request in free text. Such a request is fulfilled when all of them are in.
    documents = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.text[:50]


class ChecklistTick(models.Model):
    """A staff member's tick (or untick) of one document of the case's checklist; an upload ticks it too.

    Without a row, a document counts as received when a file was uploaded for it (formengine.checklist).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist_ticks")
    document = models.CharField(max_length=50)  # the document's key in the submitted definition
    received = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "document"], name="checklist_tick_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.document} {'✓' if self.received else '–'}"


class AuditEntry(models.Model):
    """Who saw or changed what, when. Append-only: rows are never updated or deleted.

    It refers to the case by reference and UUID rather than a foreign key, so
    the log outlives the case when retention deletes it.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    case_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    case_reference = models.CharField(max_length=32, blank=True, db_index=True)
    department = models.ForeignKey(
        "catalogue.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.case_reference}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionDenied("The audit log is append-only.")
