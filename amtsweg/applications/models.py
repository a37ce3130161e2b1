"""Form definitions, drafts, submissions and their files.

Citizens see reference numbers (``KS-2026-004711-7``); URLs use UUIDs, never
database ids. Answers are JSON: the form engine (``formengine``) defines their
shape per field type.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Channel


class FormVersion(models.Model):
    """One version of a service's form definition (YAML/JSON, see formengine.definition).

    A published version is never edited: a change is a new version, so every
    submission can point to the exact form it was made with (and keeps a
    frozen copy of it as well).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="form_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("change note"), max_length=300, blank=True)

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="form_version_unique")]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"


class Draft(models.Model):
    """A citizen's form in progress. Deleted after ``DRAFT_RETENTION_DAYS`` without change."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="drafts")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="drafts")
    answers = models.JSONField(default=dict)
    completed_steps = models.JSONField(default=list)
    language = models.CharField(max_length=8, default="de")
    resume_email = models.EmailField(blank=True)
    # The funnel points this draft has already been counted at (applications.funnel), so that a reload or a
    # return to a step counts once: "started", "step:<key>", "check", "error:<step>:<field>".
    funnel_counted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.uuid}"


class Submission(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    access_code_hash = models.CharField(max_length=128)
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    definition = models.JSONField(_("form definition as submitted"))
    answers = models.JSONField(_("answers"))
    language = models.CharField(max_length=8, default="de")
    email = models.EmailField(_("email for notifications"), blank=True)
    applicant_name = models.CharField(_("applicant"), max_length=300, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    # Set by the draft's session token so that a double click submits once.
    draft_uuid = models.UUIDField(unique=True, null=True, blank=True)
    summary_pdf = models.CharField(max_length=200, blank=True)  # storage name once generated
    # The next step the definition's ``outcomes`` gave (formengine.checklist): {"key": ..., "kind": ...}, or
    # {} for a form without outcomes. Worked out again when the citizen uploads a document later.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    # Who vouched for the applicant: the session's trust level and the identity provider (none: anonymous).
    trust_level = models.CharField(_("trust level"), max_length=20, default="none")
    identity_provider = models.CharField(_("identity provider"), max_length=40, blank=True)
    # The citizen account ("Mein Amtsweg"); deleting the account keeps the submission (reference and code only).
    account = models.ForeignKey(
        "identity.CitizenAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.reference


class ReferenceCounter(models.Model):
    """The last number given out per prefix and year; locked while a number is taken."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class StoredFile(models.Model):
    """An uploaded file, stored outside the web root under a random name.

    Served only through views that check permission. Belongs to a draft while
    the form is filled in, then to the submission (and its case).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name

    def as_reference(self) -> dict:
        return {"id": str(self.uuid), "name": self.original_name, "size": self.size, "content_type": self.content_type}
