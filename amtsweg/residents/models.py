"""The audit of every read of the residents' register and of every change of a blocking the portal made
(append-only, like the case audit log), and what the Bürgerbüro's services keep about blockings."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import BlockAction, RegisterFinding


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


class BlockChange(models.Model):
    """A blocking or objection the portal wrote to the register or took back from it: who, whose, which, when.

    The register holds what is in force; this is the portal's own record that a change came through it (an
    objection filed online, a staff member's approval of an Auskunftssperre). Like the reads, it names the
    person by the register's id only, is append-only and is kept for ``RESIDENTS_REGISTER['audit_days']``.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A staff member's user name or "citizen <account>" for a citizen's own objection.
    actor_label = models.CharField(max_length=150)
    person_id = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=40)
    action = models.CharField(_("action"), max_length=20, choices=BlockAction.choices)
    until = models.DateField(null=True, blank=True)
    case_reference = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change of a blocking")
        verbose_name_plural = _("changes of blockings")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.kind} {self.person_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionDenied("The record of blocking changes is append-only.")
        super().save(*args, **kwargs)


class RegisterSubject(models.Model):
    """Whom the register matched for a submission, and what it said (``finding``), for the case and the inbox.

    Two ways in: a form's gate or check page records the match by the draft's uuid (which the submission
    keeps; linked to the submission when its case opens): the Auskunftssperre, a Meldebescheinigung on paper;
    and a service that asks the register about a submission records its finding directly
    (``services.register_finding_record``, no draft). Deleted with the submission; one never linked (a draft
    given up) is deleted by the housekeeping after ``DRAFT_RETENTION_DAYS``.
    """

    draft_uuid = models.UUIDField(unique=True, null=True, blank=True)
    submission = models.OneToOneField(
        "applications.Submission", null=True, blank=True, on_delete=models.CASCADE, related_name="register_subject"
    )
    # The register's id of the person, "" when the register found nobody or several persons.
    person_id = models.CharField(max_length=64, blank=True)
    finding = models.CharField(_("finding of the register"), max_length=32, choices=RegisterFinding.choices, blank=True)
    checked_at = models.DateTimeField(_("asked the register at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.submission_id or self.draft_uuid} → {self.person_id or '-'} ({self.finding})"


class InformationBlock(models.Model):
    """An Auskunftssperre that staff approved and the portal wrote to the register, until its end.

    Kept for the reminders three months before the end (``residents.tasks``), and deleted a month after the
    end. The case is deleted by retention long before: the reference number, the citizen's address for the
    reminder and its language stay here, and nothing else of the case.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="information_block"
    )
    reference = models.CharField(_("reference number"), max_length=32)
    person_id = models.CharField(max_length=64)
    until = models.DateField(_("until"))
    remind_on = models.DateField(_("reminder on"), db_index=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="de")
    citizen_reminded_at = models.DateTimeField(null=True, blank=True)
    staff_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["until"]
        verbose_name = _("information block")
        verbose_name_plural = _("information blocks")

    def __str__(self) -> str:
        return f"{self.reference} until {self.until}"


class WeddingObjection(models.Model):
    """One spouse's objection to passing on the couple's wedding anniversaries (§ 50(2) BMG), waiting for the
    other spouse, whom the register names, to confirm it with their own eID login. Nothing is written to the
    register before; once confirmed, both entries are written and this row is deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_id = models.CharField(max_length=64, db_index=True)
    spouse_person_id = models.CharField(max_length=64, db_index=True)
    # Where the first spouse hears that the objection is in force.
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="de")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person_id"], name="wedding_objection_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.spouse_person_id}"
