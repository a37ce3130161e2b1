"""The immigration office's staff triage of a contact request: what the request says (kept for the inbox and the
triage list) and what staff decided, one row per case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .triage_constants import CallResult, Outcome


class ImmigrationTriage(models.Model):
    """One contact request's triage. Made when its case opens, from the answers (topic, the residence permit's
    expiry, the preferred contact), so the inbox and the triage list sort and show them without reading every
    submission; deleted with the case (retention)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="immigration_triage", verbose_name=_("case")
    )
    topic = models.CharField(_("topic"), max_length=30, blank=True)
    permit_expiry = models.DateField(_("residence permit valid until"), null=True, blank=True)
    contact_preference = models.CharField(_("preferred contact"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # When staff first answered the citizen with an outcome: the end of "time to the first contact".
    first_contact_at = models.DateTimeField(null=True, blank=True)
    call_starts_at = models.DateTimeField(_("call from"), null=True, blank=True)
    call_ends_at = models.DateTimeField(_("call until"), null=True, blank=True)
    call_result = models.CharField(_("result of the call"), max_length=20, choices=CallResult.choices, blank=True)
    calls = models.PositiveSmallIntegerField(_("calls planned"), default=0)

    class Meta:
        verbose_name = _("immigration triage")
        verbose_name_plural = _("immigration triages")
        indexes = [
            models.Index(fields=["permit_expiry"], name="immigration_triage_expiry"),
            models.Index(fields=["call_starts_at"], name="immigration_triage_call"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.topic} {self.outcome}"
