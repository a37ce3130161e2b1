"""Template helpers of appointment booking."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import template

from amtsweg.appointments.selectors import booking_start_url, staff_locations
from amtsweg.catalogue.models import Service

register = template.Library()

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")


@register.simple_tag(takes_context=True)
def scope_query(context: template.Context) -> str:
    """The booking's persons and further services from the current request, for links that start over
    (e.g. "the next free times" after a place was just taken). Only well-formed values are passed on;
    the next view checks them against the place."""
    request = context.get("request")
    if request is None:
        return ""
    data = request.POST if request.method == "POST" else request.GET
    pairs: list[tuple[str, str]] = []
    persons = data.get("personen", "")
    if persons.isdigit() and persons != "1" and len(persons) <= 2:
        pairs.append(("personen", persons))
    pairs += [("auch", slug) for slug in data.getlist("auch")[:10] if SLUG.match(slug)]
    return urlencode(pairs)


@register.simple_tag
def booking_url(service: Service) -> str:
    """Where to book an appointment for the service online, or "" (for the catalogue's pages)."""
    return booking_start_url(service=service)


@register.simple_tag
def appointment_places_for(user: Any) -> bool:
    """Whether any of the staff member's departments has a place that takes appointments (for the menu)."""
    return staff_locations(user=user).exists()
