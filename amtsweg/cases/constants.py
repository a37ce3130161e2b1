from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the citizen")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})

# The allowed moves. Service-specific extra states (ProcessingRule.extra_states)
# sit between "in progress" and the end, see services.case_allowed_transitions.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.RECEIVED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.WAITING, CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.WAITING: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.COMPLETED: frozenset(),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Internal note")
    MESSAGE = "message", _("Message to the citizen")
    DOCUMENT_REQUEST = "document_request", _("Documents requested")
    CITIZEN_UPLOAD = "citizen_upload", _("Documents uploaded by the citizen")
    NOTIFICATION_FAILED = "notification_failed", _("Email could not be sent")
    CHECKLIST_DECISION = "checklist_decision", _("Decided whether an appointment is needed")


class AuditAction(models.TextChoices):
    VIEW_CASE = "view_case", _("Viewed the case")
    DOWNLOAD_FILE = "download_file", _("Downloaded a file")
    CHANGE_STATUS = "change_status", _("Changed the status")
    ASSIGN = "assign", _("Assigned")
    ADD_NOTE = "add_note", _("Added a note")
    SEND_MESSAGE = "send_message", _("Sent a message")
    REQUEST_DOCUMENTS = "request_documents", _("Requested documents")
    EXPORT_AUDIT = "export_audit", _("Exported the audit log")
    VIEW_STATUS_PAGE = "view_status_page", _("Citizen viewed the status page")
    RETENTION_DELETE = "retention_delete", _("Deleted after the retention period")
    REFUND = "refund", _("Refunded a fee")
    EXPORT_TREASURY = "export_treasury", _("Exported the treasury bookings")
    PRINT_DOCUMENT = "print_document", _("Printed documents with personal data")
    VIEW_RAFFLE_WINNERS = "view_raffle_winners", _("Viewed the raffle winners' contact data")
    RAFFLE_PRIZE_HANDED_OVER = "raffle_prize_handed_over", _("Handed over a raffle prize")
    CHECKLIST_TICK = "checklist_tick", _("Ticked off a document of the checklist")
    CHECKLIST_DECISION = "checklist_decision", _("Decided whether an appointment is needed")
    PARTNER_LINK_SENT = "partner_link_sent", _("Sent the partner's own link")
    PARTNER_CONFIRMED = "partner_confirmed", _("Partner confirmed their part")
    TRIAGE = "triage", _("Decided how to answer a request")
    VEHICLE_REGISTRY = "vehicle_registry", _("Decided or sent a vehicle registration at the registry")


class ChecklistDecision(models.TextChoices):
    """What staff decided from a case's checklist (formengine.checklist uses the same values)."""

    COMPLETE = "complete", _("Documents complete, no appointment needed")
    APPOINTMENT = "appointment", _("Needs an appointment")
