"""The booking emails, in the citizen's language: the confirm link, the confirmation with .ics, the reminder."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .ics import appointment_ics
from .models import Appointment
from .tokens import appointment_token

logger = logging.getLogger(__name__)


def _url(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.PORTAL["base_url"].rstrip("/") + reverse(name, args=[token])


def _send(appointment: Appointment, *, template: str, subject: str, with_ics: bool, extra: dict | None = None) -> None:
    language = appointment.language if appointment.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        manage = appointment_token(appointment=appointment, purpose="manage")
        context = {
            "appointment": appointment,
            "location": appointment.location,
            "service": appointment.service,
            "services_label": appointment.services_label(),
            "requirements": appointment.requirements(),
            "confirm_url": _url("appointments:confirm", appointment_token(appointment=appointment, purpose="confirm"),
                                language),
            "manage_url": _url("appointments:manage", manage, language),
            "PORTAL": settings.PORTAL,
            "times_url": settings.PORTAL["base_url"].rstrip("/")
            + reverse("appointments:times", args=[appointment.location.slug, appointment.service.slug]),
            **(extra or {}),
        }  # fmt: skip
        message = EmailMessage(subject % {"service": appointment.services_label()}, render_to_string(template, context),
                               to=[appointment.email])  # fmt: skip
        if with_ics:
            message.attach(f"termin-{appointment.booking_code}.ics", appointment_ics(appointment=appointment),
                           "text/calendar")  # fmt: skip
    message.send()


def appointment_confirm_link_send(*, appointment: Appointment) -> bool:
    """Send the confirm link; False if the mail server refused or could not be reached."""
    try:
        _send(appointment, template="appointments/email/confirm_link.txt",
              subject=_("Please confirm your appointment: %(service)s"), with_ics=False)  # fmt: skip
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send the confirm link of appointment %s", appointment.booking_code)
        return False
    return True


def appointment_confirmed_send(*, appointment: Appointment) -> None:
    _send(appointment, template="appointments/email/confirmed.txt",
          subject=_("Your appointment is confirmed: %(service)s"), with_ics=True)  # fmt: skip


def appointment_reminder_send(*, appointment: Appointment) -> None:
    _send(appointment, template="appointments/email/reminder.txt",
          subject=_("Reminder: your appointment tomorrow: %(service)s"), with_ics=True)  # fmt: skip


def appointment_cancelled_by_office_send(*, appointment: Appointment, reason: str) -> None:
    _send(appointment, template="appointments/email/cancelled_by_office.txt",
          subject=_("We had to cancel your appointment: %(service)s"), with_ics=False,
          extra={"reason": reason})  # fmt: skip
