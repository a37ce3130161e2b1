"""The audit of every read of the residents' register. Append-only, like the case audit log."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterRead(models.Model):
    """Who read which items of which person in the register, and why.

    ``person_id`` is the register's own identifier, not a name: the entry says which person was read
    without copying their data. Kept for ``RESIDENTS_REGISTER['audit_days']`` (at least a year, as
    § 49(3) BMG asks of portal requests), then deleted by the retention job.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A staff member's user name, "citizen <account>" for a citizen reading about themselves, or "system".
    actor_label = models.CharField(max_length=150)
    person_id = models.CharField(max_length=64, db_index=True)
    items = models.CharField(_("data items (DSMeld)"), max_length=500)
    purpose = models.CharField(_("purpose"), max_length=200)
    case_reference = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("register read")
        verbose_name_plural = _("register reads")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.person_id} {self.items}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionDenied("The register audit is append-only.")
        super().save(*args, **kwargs)
