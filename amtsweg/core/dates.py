"""Date helpers shared by the date field type and the condition functions.

"Today" is the local date in the portal's time zone (Europe/Berlin), not UTC:
a citizen filling in a form at 00:30 on the 15th means the 15th.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def today() -> dt.date:
    """The current date in the portal's time zone. Tests patch this one function."""
    return timezone.localdate()


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


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative); the month's last day where it is shorter
    (31 March + 1 month = 30 April, 29 February + 12 months = 28 February)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))
