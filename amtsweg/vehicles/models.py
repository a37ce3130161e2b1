"""What the portal keeps of a vehicle-registration application between sending it and the letter box.

One ``VehicleApplication`` per case of the four i-Kfz services, created when the case opens
(``services.vehicle_application_open`` through ``cases.hooks``) and deleted with its case when the
retention period ends. It holds the registry's answer, the document issued with an approval
(``proof.py``) and the state of the postal dispatch (``dispatch.py``); the citizen's answers stay with the
submission.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import ApplicationState, DispatchStatus, Office, Transaction


class VehicleApplication(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="vehicle_application"
    )
    transaction = models.CharField(_("transaction"), max_length=20, choices=Transaction.choices)
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    office = models.CharField(_("registration office"), max_length=20, choices=Office.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.TO_SEND
    )
    # Sending: how often it was tried, when the current attempt was claimed (a claim older than
    # VEHICLE_REGISTRY['claim_seconds'] belongs to a process that died and may be taken over), the last error.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    # The registry's answer.
    number = models.CharField(_("application number"), max_length=40, blank=True)
    plate = models.CharField(_("licence plate"), max_length=20, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    answer = models.JSONField(_("registry's answer"), default=dict, blank=True)
    # The provisional proof of registration (§ 32 FZV), a sealed document, once approved.
    proof = models.ForeignKey(
        "documents.SealedDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    valid_until = models.DateField(_("provisional proof valid until"), null=True, blank=True)
    # The sealed PDF itself (the proof, or the confirmation of a deregistration), a private file's storage name:
    # the citizen downloads it from the status page for as long as the case is kept (the sealed document's own
    # copy is deleted an hour after issue); deleted with the application (``signals.py``).
    proof_pdf = models.CharField(max_length=200, blank=True, editable=False)
    # The postal dispatch of the registration certificate part I and the plate seals.
    dispatch = models.CharField(
        _("postal dispatch"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.NONE
    )
    dispatched_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vehicle registration application")
        verbose_name_plural = _("vehicle registration applications")
        indexes = [
            models.Index(fields=["state", "claimed_at"], name="vehicle_application_state"),
            models.Index(fields=["dispatch", "decided_at"], name="vehicle_application_dispatch"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.transaction} {self.state}"
