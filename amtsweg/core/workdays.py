"""Working-day arithmetic for processing deadlines.

A working day is Monday to Friday and not a public holiday in Hesse (Kassel's
state). Holidays come from the ``holidays`` library, which follows the state
laws (Fronleichnam is a holiday in Hesse, Reformationstag is not).
"""

import datetime
from functools import lru_cache

import holidays

COUNTRY = "DE"
SUBDIVISION = "HE"


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year).keys())


def is_public_holiday(day: datetime.date) -> bool:
    return day in _holidays_of(day.year)


def is_working_day(day: datetime.date, *, saturdays: bool = False) -> bool:
    """Monday to Friday (and Saturday with ``saturdays``, for laws that count it), not a public holiday."""
    return day.weekday() < (6 if saturdays else 5) and not is_public_holiday(day)


def add_working_days(start: datetime.date, days: int, *, saturdays: bool = False) -> datetime.date:
    """The day that is ``days`` working days after ``start``; ``start`` itself is not counted.

    With ``days=0`` the answer is ``start`` if that is a working day, else the next one. ``saturdays``:
    Saturdays count as working days (a "Werktag" in some laws).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, saturdays=saturdays):
            day += datetime.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, saturdays=saturdays):
            counted += 1
    return day


def due_date(*, received: datetime.date, days: int, working_days: bool) -> datetime.date:
    """The last day of a processing deadline of ``days`` (working or calendar) days from ``received``."""
    if working_days:
        return add_working_days(received, days)
    return received + datetime.timedelta(days=days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
