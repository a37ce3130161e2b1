"""Emails that another module builds and the notifications module sends, with its outbox and retries.

The module an email is about (a login, an appointment, a raffle entry) knows what it says;
this module knows how to get it out: the ``Notification`` row written with the change that causes it,
the task queued with that row, the retries, and the sealed data blanked once it is sent. Such a module
subclasses ``EmailKind`` in its ``emails.py`` and is named in ``EMAIL_KINDS`` below, by dotted path
(as a setting would name it), so that this module imports none of them. The emails about an app below
this module (a draft's "continue later" link, like the submission's emails) are built here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

from .constants import NotificationKind

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from .models import Notification

EMAIL_KINDS: dict[str, str] = {
    NotificationKind.DRAFT_RESUME_LINK: "amtsweg.notifications.drafts.DraftResumeLinkEmail",
    NotificationKind.LOGIN_LINK: "amtsweg.identity.contrib.email.emails.LoginLinkEmail",
    NotificationKind.APPOINTMENT_CONFIRM_LINK: "amtsweg.appointments.emails.ConfirmLinkEmail",
    NotificationKind.APPOINTMENT_CONFIRMED: "amtsweg.appointments.emails.ConfirmedEmail",
    NotificationKind.APPOINTMENT_REMINDER: "amtsweg.appointments.emails.ReminderEmail",
    NotificationKind.APPOINTMENT_CANCELLED_BY_OFFICE: "amtsweg.appointments.emails.CancelledByOfficeEmail",
    NotificationKind.RAFFLE_WON: "amtsweg.feedback.emails.RaffleWonEmail",
    NotificationKind.TRANSFER_OBJECTION: "amtsweg.residents.emails.TransferObjectionEmail",
    NotificationKind.BLOCK_REMINDER: "amtsweg.residents.emails.BlockReminderEmail",
    NotificationKind.BLOCK_REMINDER_STAFF: "amtsweg.residents.emails.BlockReminderStaffEmail",
    NotificationKind.MARRIAGE_PARTNER_LINK: "amtsweg.civil_status.emails.PartnerLinkEmail",
}


class EmailKind(ABC):
    """How one kind of email is built, and what its module does when it is sent or given up."""

    #: False: one attempt only; a failure gives the email up at once (e.g. a link that runs out in minutes
    #: and whose module would rather free what it holds).
    retries: bool = True
    #: True: the row is deleted once the email is sent or given up (an email about nothing we keep, whose
    #: address would otherwise stay behind).
    forget_when_done: bool = False

    @abstractmethod
    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        """The message to send to ``notification.to``; ``sealed`` is the data queued with it, decrypted."""

    def wanted(self, *, notification: Notification) -> bool:
        """False when the email has become pointless (its appointment ran out, its winner was told): the row is
        deleted and nothing is sent."""
        return True

    def sent(self, *, notification: Notification) -> None:
        """Record that the email went out; runs in the transaction that marks the row sent."""
        return None

    def given_up(self, *, notification: Notification) -> None:
        """The email will not go out (no retry is left or allowed)."""
        return None


def email_kind(kind: str) -> EmailKind | None:
    """The builder of ``kind`` when another module builds it; None for the emails about a submission or case."""
    path = EMAIL_KINDS.get(kind)
    return import_string(path)() if path else None
