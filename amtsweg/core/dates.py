"""Date helpers shared by the date field type, the condition functions and the messages about dates.

"Today" is the local date in the portal's time zone (Europe/Berlin), not UTC:
a citizen filling in a form at 00:30 on the 15th means the 15th.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language


def today() -> dt.date:
    """The current date in the portal's time zone. Tests patch this one function."""
    return timezone.localdate()


DISPLAY_FORMATS = {"de": "j.n.Y", "en": "j F Y"}


def format_day(day: dt.date) -> str:
    """A date for people: 5.3.2026 in German, 5 March 2026 in English."""
    language = (get_language() or "de")[:2]
    return formats.date_format(day, DISPLAY_FORMATS.get(language, DISPLAY_FORMATS["de"]))


def parse_iso_date(value: Any) -> dt.date | None:
    """An ISO date string (``2026-03-05``) or a date as a ``date``; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years between ``birth`` and ``on``.

    Someone born on 29 February turns a year older on 1 March in common years,
    which is how German authorities count it (§ 187(2), § 188(2) BGB).
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
