"""Anonymous usage figures that outlive the personal data of a case.

One row per case: service, channel, dates and the final state, written when
the case closes (and by retention for a case closed before that). No reference
number, name or answer, so retention can delete the case and the figures remain.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseRecord(models.Model):
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalogue.Department", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20)
    submitted_on = models.DateField(db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    final_status = models.CharField(max_length=40, blank=True)
    # For a form with a checklist (documents and outcomes): whether the case ended without an appointment;
    # None for any other service, which the share of avoided appointments leaves out.
    without_appointment = models.BooleanField(null=True, blank=True)
    # A service module's own anonymous figures of the case (cases.hooks ``statistics``), e.g. the immigration
    # office's topic, outcome and hours to the first contact: codes and numbers only, never a name or a text.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case record (anonymous)")
        verbose_name_plural = _("case records (anonymous)")

    def __str__(self) -> str:
        return f"{self.service_id} {self.submitted_on} {self.final_status}"
