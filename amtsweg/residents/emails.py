"""The Bürgerbüro's emails: an objection entered, an Auskunftssperre about to end. The notifications module
sends them (with its outbox and retries); ``residents.services`` queues them. What they say travels sealed
with the notification, so the emails need no record of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from amtsweg.core.dates import parse_iso_date
from amtsweg.core.i18n import language_or_default
from amtsweg.notifications.kinds import EmailKind

from .objections import BY_KIND

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


def _absolute(name: str, **kwargs: Any) -> str:
    try:
        path = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return settings.PORTAL["base_url"].rstrip("/") + path


def _date(value: str) -> str:
    day = parse_iso_date(value)
    return formats.date_format(day, "DATE_FORMAT") if day else ""


class ResidentsEmail(EmailKind):
    template: str

    def subject(self, *, sealed: dict[str, str]) -> str:
        raise NotImplementedError

    def context(self, *, notification: Notification, sealed: dict[str, str]) -> dict[str, Any]:
        return {}

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        language = language_or_default(notification.language)
        with translation.override(language):
            context = {
                "PORTAL": settings.PORTAL,
                "city": settings.PORTAL["city"],
                "until": _date(sealed.get("until", "")),
                "reference": sealed.get("reference", ""),
                **self.context(notification=notification, sealed=sealed),
            }
            body = render_to_string(self.template, context)
            subject = self.subject(sealed=sealed) % {"date": context["until"], "reference": context["reference"]}
        return EmailMessage(subject, body, to=[notification.to], headers={"Auto-Submitted": "auto-generated"})


class TransferObjectionEmail(ResidentsEmail):
    """The confirmation of objections entered in the register, or of the spouse's confirmation."""

    template = "residents/email/transfer_objection.txt"
    forget_when_done = True  # about nothing the portal keeps: the address goes with the sent email

    def subject(self, *, sealed: dict[str, str]) -> str:
        if sealed.get("spouse_confirmed"):
            return _("Your objection to passing on your wedding anniversaries is in force")
        if not sealed.get("kinds"):
            return _("Your objection waits for your spouse's confirmation")
        return _("Your objection is entered in the register of residents")

    def context(self, *, notification: Notification, sealed: dict[str, str]) -> dict[str, Any]:
        kinds = [kind for kind in sealed.get("kinds", "").split(",") if kind in BY_KIND]
        return {
            "objections": [BY_KIND[kind] for kind in kinds],
            "wedding_waits": bool(sealed.get("wedding_waits")),
            "spouse_confirmed": bool(sealed.get("spouse_confirmed")),
            "on": _date(sealed.get("on", "")),
            "account_url": _absolute("identity:account"),
            "objections_url": _absolute("residents:objections"),
        }


class BlockReminderEmail(ResidentsEmail):
    """Three months before an Auskunftssperre ends: an extension needs fresh evidence."""

    template = "residents/email/block_reminder.txt"
    forget_when_done = True  # the case may be gone: the address goes with the sent email

    def subject(self, *, sealed: dict[str, str]) -> str:
        return _("Your information block ends on %(date)s")

    def context(self, *, notification: Notification, sealed: dict[str, str]) -> dict[str, Any]:
        return {"apply_url": _absolute("applications:start", slug="auskunftssperre")}


class BlockReminderStaffEmail(ResidentsEmail):
    """The same reminder to the Bürgerbüro's address, with the case."""

    template = "residents/email/block_reminder_staff.txt"
    forget_when_done = True  # the case's history keeps the reminder (a note)

    def subject(self, *, sealed: dict[str, str]) -> str:
        return _("Information block %(reference)s ends on %(date)s")

    def context(self, *, notification: Notification, sealed: dict[str, str]) -> dict[str, Any]:
        with translation.override(settings.LANGUAGE_CODE):
            case_url = (
                _absolute("cases:case_detail", uuid=notification.case.uuid) if notification.case is not None else ""
            )
        return {"case_url": case_url}
