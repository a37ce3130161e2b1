"""The triage's messages to the citizen, in the language of their request (the caller activates it): the only
texts of the triage that the further languages' catalogues carry (core/catalogues.py)."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext


def call_planned(*, day: datetime.date, start: datetime.time, end: datetime.time, phone: str) -> str:
    return gettext(
        "We will call you on %(day)s between %(start)s and %(end)s at the number %(phone)s to talk about "
        "your request. Please have your passport and your residence permit at hand. If this time does not "
        "suit you, please answer on the status page of your request."
    ) % {
        "day": formats.date_format(day, "DATE_FORMAT"),
        "start": formats.time_format(start, "TIME_FORMAT"),
        "end": formats.time_format(end, "TIME_FORMAT"),
        "phone": phone,
    }


def call_missed(*, day: datetime.date) -> str:
    return gettext("We tried to call you on %(day)s but could not reach you. We will contact you again.") % {
        "day": formats.date_format(day, "DATE_FORMAT")
    }


def appointment_offered(*, place: str, minutes: int, url: str) -> str:
    return gettext(
        "Please book an appointment with us at %(place)s. It takes about %(minutes)s minutes. Choose a time "
        "here: %(url)s\nThe link is also on the status page of your request. Please bring your passport, "
        "your residence permit and the documents for your request."
    ) % {"place": place, "minutes": minutes, "url": url}


def documents_sent() -> str:
    return gettext(
        "We are sending you the documents for your request. You find them as attachments on the status "
        "page of your request."
    )
