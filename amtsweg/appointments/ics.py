"""The appointment as an iCalendar file (RFC 5545), built with the icalendar library."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Appointment


def appointment_ics(*, appointment: Appointment) -> bytes:
    location = appointment.location
    with translation.override(appointment.language):
        calendar = Calendar()
        calendar.add("prodid", "-//Amtsweg//Termine//DE")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", f"{appointment.uuid}@amtsweg")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"{appointment.services_label()} – {location.name}")
        address = ", ".join(filter(None, [location.street, f"{location.postcode} {location.city}".strip()]))
        event.add("location", address or location.name)
        event.add(
            "description",
            _("Booking code: %(code)s. Please come %(minutes)s minutes early and bring what the service page lists.")
            % {"code": appointment.booking_code, "minutes": location.booking_policy.waiting_minutes},
        )
        event.add("url", settings.PORTAL["base_url"])
        calendar.add_component(event)
    return calendar.to_ical()
