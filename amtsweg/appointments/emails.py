"""The booking emails, in the citizen's language: the confirm link, the confirmation with .ics, the reminder
and the office's cancellation. The notifications module sends them (with its outbox and retries); the
services below queue them in the transaction of the change they are about."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from amtsweg.core.i18n import language_or_default
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.kinds import EmailKind
from amtsweg.notifications.services import notification_queue

from .constants import AppointmentStatus
from .ics import appointment_ics
from .models import Appointment
from .tokens import appointment_token

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


def appointment_email_queue(*, appointment: Appointment, kind: NotificationKind, reason: str = "") -> None:
    """Queue one of the booking emails about ``appointment`` (once per appointment and kind)."""
    if not appointment.email:
        return
    notification_queue(
        kind=kind,
        to=appointment.email,
        language=language_or_default(appointment.language),
        occasion_of=appointment.uuid,
        appointment=appointment,
        sealed={"reason": reason} if reason else None,
    )


def hold_is_live(*, appointment: Appointment | None, now: datetime.datetime) -> bool:
    """Whether ``appointment`` is a hold that can still be confirmed."""
    return (
        appointment is not None
        and appointment.status == AppointmentStatus.HELD
        and appointment.hold_expires_at is not None
        and appointment.hold_expires_at > now
    )


def _url(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.PORTAL["base_url"].rstrip("/") + reverse(name, args=[token])


class AppointmentEmail(EmailKind):
    """A booking email: ``template`` in the appointment's language, ``subject`` with the services, maybe the .ics."""

    template: str
    subject: Any
    with_ics = False

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        assert notification.appointment_id is not None, "an appointment email is about an appointment"
        appointment = Appointment.objects.select_related("location", "service").get(pk=notification.appointment_id)
        extra = {"reason": sealed["reason"]} if "reason" in sealed else {}
        language = language_or_default(appointment.language)
        with translation.override(language):
            manage = appointment_token(appointment=appointment, purpose="manage")
            context = {
                "appointment": appointment,
                "location": appointment.location,
                "service": appointment.service,
                "services_label": appointment.services_label(),
                "requirements": appointment.requirements(),
                "confirm_url": _url("appointments:confirm",
                                    appointment_token(appointment=appointment, purpose="confirm"), language),
                "manage_url": _url("appointments:manage", manage, language),
                "PORTAL": settings.PORTAL,
                "times_url": settings.PORTAL["base_url"].rstrip("/")
                + reverse("appointments:times", args=[appointment.location.slug, appointment.service.slug]),
                **extra,
            }  # fmt: skip
            message = EmailMessage(self.subject % {"service": appointment.services_label()},
                                   render_to_string(self.template, context), to=[notification.to])  # fmt: skip
            if self.with_ics:
                message.attach(f"termin-{appointment.booking_code}.ics", appointment_ics(appointment=appointment),
                               "text/calendar")  # fmt: skip
        return message


class ConfirmLinkEmail(AppointmentEmail):
    """The double opt-in link of a hold. Sent once: if the mail server refuses it, the hold is given back at
    once, so that its place is free again (the citizen was told to book again if no email arrives)."""

    template = "appointments/email/confirm_link.txt"
    subject = _("Please confirm your appointment: %(service)s")
    retries = False

    def wanted(self, *, notification: Notification) -> bool:
        if notification.appointment_id is None:
            return False
        appointment = Appointment.objects.filter(pk=notification.appointment_id).first()
        return hold_is_live(appointment=appointment, now=timezone.now())

    def given_up(self, *, notification: Notification) -> None:
        from .services import appointment_release

        if notification.appointment_id is None:
            return
        appointment = Appointment.objects.filter(pk=notification.appointment_id).first()
        if appointment is not None:
            appointment_release(appointment=appointment)


class ConfirmedEmail(AppointmentEmail):
    template = "appointments/email/confirmed.txt"
    subject = _("Your appointment is confirmed: %(service)s")
    with_ics = True


class ReminderEmail(AppointmentEmail):
    template = "appointments/email/reminder.txt"
    subject = _("Reminder: your appointment tomorrow: %(service)s")
    with_ics = True


class CancelledByOfficeEmail(AppointmentEmail):
    template = "appointments/email/cancelled_by_office.txt"
    subject = _("We had to cancel your appointment: %(service)s")
