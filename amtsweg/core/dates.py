"""Date helpers: "today", the one parser of dates that come from outside, and date arithmetic that cannot overflow.

"Today" is the local date in the portal's time zone (Europe/Berlin), not UTC:
a citizen filling in a form at 00:30 on the 15th means the 15th.

Every date or moment read from a query parameter, a form field, a URL or another
system goes through ``parse_day`` or ``parse_moment`` with the ``DateRange`` its use
allows (e.g. a few years around today for an appointment day, 1900 to today for a
birth date). Anything else is refused with a ``DateInputError`` whose message can be
shown to the user as it is. Python's calendar ends at 0001-01-01 and 9999-12-31, and
a day next to either end overflows at the first ``+ timedelta`` or conversion to UTC
(``OverflowError``, a server error): every range here stays far inside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext

# The days no range may leave: a year off both ends of Python's calendar, so that a day inside can be
# moved by a few months and a moment inside converted to any time zone without an OverflowError.
CALENDAR_FIRST = dt.date(2, 1, 1)
CALENDAR_LAST = dt.date(9998, 12, 31)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_LONGEST_MOMENT = 40  # "2026-12-03T09:00:00.000000+01:00" and then some; anything longer is not a moment


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


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopped at the ends of the usable calendar instead of overflowing."""
    if day < CALENDAR_FIRST or day > CALENDAR_LAST:
        day = min(max(day, CALENDAR_FIRST), CALENDAR_LAST)
    room_back, room_ahead = (CALENDAR_FIRST - day).days, (CALENDAR_LAST - day).days
    return day + dt.timedelta(days=min(max(days, room_back), room_ahead))


@dataclasses.dataclass(frozen=True)
class DateRange:
    """The days an input may name, both ends included."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if not CALENDAR_FIRST <= self.first <= self.last <= CALENDAR_LAST:
            raise ValueError(f"not a usable range of days: {self.first} to {self.last}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= _as_date(day) <= self.last


def _as_date(day: dt.date) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


def days_around(*, before: int, after: int, on: dt.date | None = None) -> DateRange:
    """From ``before`` days before ``on`` (default: today) to ``after`` days after it."""
    centre = on or today()
    return DateRange(add_days(centre, -before), add_days(centre, after))


def years(first: int, last: int) -> DateRange:
    """From 1 January of the year ``first`` to 31 December of the year ``last``."""
    return DateRange(dt.date(first, 1, 1), dt.date(last, 12, 31))


# The days of the portal's own records and settings (a fee or a rule valid from, a closure, a survey campaign,
# an entry of the audit log): it went live long after 2000, and nothing is planned beyond 2099.
PORTAL_DAYS = years(2000, 2099)


class DateInputError(ValueError):
    """A date or moment from outside that is malformed (``code`` "invalid") or outside its range ("range").

    ``message`` is translated into the active language and can be shown as it is.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def out_of_range_message(within: DateRange) -> str:
    """What a user is told about a day outside ``within``, in the active language."""
    return gettext("Enter a day between %(first)s and %(last)s.") % {
        "first": format_day(within.first),
        "last": format_day(within.last),
    }


def _out_of_range(within: DateRange) -> DateInputError:
    return DateInputError(out_of_range_message(within), code="range")


def _malformed() -> DateInputError:
    return DateInputError(gettext("Enter the day as year-month-day, for example 2026-11-24."), code="invalid")


def parse_day(raw: str | None, *, within: DateRange) -> dt.date:
    """The day ``raw`` names as ``YYYY-MM-DD`` (surrounding spaces allowed), if it lies in ``within``.

    Raises ``DateInputError`` for anything else: nothing, another format, a day that does not exist
    (2026-02-30), a day outside the range.
    """
    text = (raw or "").strip()
    if not _ISO_DAY.fullmatch(text):
        raise _malformed()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _malformed() from None
    if day not in within:
        raise _out_of_range(within)
    return day


def parse_moment(raw: str | None, *, within: DateRange) -> dt.datetime:
    """The moment ``raw`` names in ISO 8601 (``2026-12-03T09:00:00+01:00``; without an offset: the portal's
    local time), in the portal's time zone, if its day lies in ``within``. Raises ``DateInputError`` otherwise.
    """
    text = (raw or "").strip()
    if len(text) > _LONGEST_MOMENT:
        raise _malformed()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _malformed() from None
    # The day as written is checked first: only a moment well inside the calendar may be converted.
    if moment.date() not in within:
        raise _out_of_range(within)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    local = timezone.localtime(moment)
    if local.date() not in within:  # a moment just after the range's end in another time zone
        raise _out_of_range(within)
    return local


def portal_day(value: dt.date) -> None:
    """Validator of a model or form field that holds a day or moment of the portal's own records and settings:
    its day must lie in ``PORTAL_DAYS``. Runs before any query, so a far date never reaches the database."""
    if value not in PORTAL_DAYS:
        raise ValidationError(out_of_range_message(PORTAL_DAYS), code="date_range")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative); the month's last day where it is shorter
    (31 March + 1 month = 30 April, 29 February + 12 months = 28 February)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


@dataclasses.dataclass(frozen=True)
class DayRange:
    """A first and a last day read from a filter's two inputs, with a message per input that could not be read."""

    first: dt.date
    last: dt.date
    field_errors: dict[str, str]
    first_ok: bool
    last_ok: bool


def day_range_from_input(
    raw_first: str, raw_last: str, *, default_first: dt.date, default_last: dt.date, within: DateRange
) -> DayRange:
    """The days of a filter's ``von`` and ``bis`` inputs (YYYY-MM-DD, empty: the default). A day that cannot be
    read is replaced by its default and named in ``field_errors`` under its input's name, as is a last day before
    the first (then the range is the first day alone)."""
    first, first_ok = _day_or_default(raw_first, default_first, within)
    last, last_ok = _day_or_default(raw_last, default_last, within)
    years = {"first": within.first.year, "last": within.last.year}
    field_errors: dict[str, str] = {}
    if not first_ok:
        field_errors["von"] = (
            gettext("Enter the first day as year-month-day between %(first)s and %(last)s, e.g. 2026-01-31") % years
        )
    if not last_ok:
        field_errors["bis"] = (
            gettext("Enter the last day as year-month-day between %(first)s and %(last)s, e.g. 2026-12-31") % years
        )
    if first_ok and last_ok and last < first:
        field_errors["bis"] = gettext("The last day must not be before the first day")
    return DayRange(first, max(first, last), field_errors, first_ok, last_ok)


def _day_or_default(raw: str, default: dt.date, within: DateRange) -> tuple[dt.date, bool]:
    if not raw:
        return default, True
    try:
        return parse_day(raw, within=within), True
    except DateInputError:
        return default, False
