"""The Standesamt's fulfilment of certificate orders: one order per case, from payment to the letter box."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import OrderStatus


class CertificateOrder(models.Model):
    """A paid (or free) certificate order in the fulfilment queue.

    Created when the case opens (``services.certificate_order_open``, through
    ``cases.hooks``); deleted with its case when the retention period ends.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="certificate_order"
    )
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.QUEUED)
    paid_at = models.DateTimeField(_("paid at"))
    due_on = models.DateField(_("to be sent by"))
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    # An order for another person with a legal interest waits for a clerk to accept the proof.
    proof_approved_at = models.DateTimeField(_("proof accepted at"), null=True, blank=True)
    proof_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Not columns: staff_views.queue sets them on the orders of a page, for its template.
    is_overdue: bool
    needs_review: bool

    class Meta:
        ordering = ["paid_at", "id"]
        verbose_name = _("certificate order")
        verbose_name_plural = _("certificate orders")
        indexes = [
            models.Index(fields=["status", "paid_at"], name="certificate_order_queue"),
            models.Index(fields=["paid_at"], name="certificate_order_paid"),
        ]

    def __str__(self) -> str:
        return str(self.case_id)


class PartnerLink(models.Model):
    """The partner's own link for the notice of marriage (``marriage.py``): the partner fills in their part
    of the applicant's submission through it, without an account and without seeing the applicant's answers.

    Only the token's SHA-256 is kept; a new link (re-sent by the applicant) replaces the old one. Deleted
    with its submission when the retention period ends.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.OneToOneField(
        "applications.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="partner_link",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    email = models.EmailField(_("partner's email address"))
    expires_at = models.DateTimeField(_("link valid until"))
    sent_count = models.PositiveSmallIntegerField(_("links sent"), default=1)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")

    def __str__(self) -> str:
        return f"{self.submission_id}: {'confirmed' if self.confirmed_at else 'pending'}"
