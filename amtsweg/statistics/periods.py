"""The periods the usage figures are shown for: a month, a quarter, a year, or any range of days.

A period travels in the URL as a key: ``2020`` (a year), ``2020-Q2`` (a quarter), ``2020-03`` (a month), or
``2020-01-15_2020-02-14`` (a range of days, both included), so a filtered dashboard can be bookmarked.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from amtsweg.core import dates

# A range longer than this is refused: nobody reads figures over more than a decade on one page.
LONGEST_RANGE_DAYS = 366 * 10

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})")


class PeriodError(ValueError):
    """The period asked for cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date
    key: str
    kind: str  # year, quarter, month, range

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.first.year)
        if self.kind == "quarter":
            return _("Quarter %(quarter)s %(year)s") % {"quarter": (self.first.month + 2) // 3, "year": self.first.year}
        if self.kind == "month":
            return formats.date_format(self.first, "YEAR_MONTH_FORMAT")
        first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (self.first, self.last))
        return f"{first} – {last}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def year_period(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year:04d}", "year")


def quarter_period(year: int, quarter: int) -> Period:
    first = datetime.date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(first, last, f"{year:04d}-Q{quarter}", "quarter")


def month_period(year: int, month: int) -> Period:
    return Period(
        datetime.date(year, month, 1),
        datetime.date(year, month, calendar.monthrange(year, month)[1]),
        f"{year:04d}-{month:02d}",
        "month",
    )


def range_period(first: datetime.date, last: datetime.date) -> Period:
    """Any range of days, both included; refused if it ends before it starts or is too long."""
    if last < first:
        raise PeriodError(_("The last day must not be before the first day."))
    if (last - first).days >= LONGEST_RANGE_DAYS:
        raise PeriodError(_("Choose a period of at most ten years."))
    return Period(first, last, f"{first.isoformat()}_{last.isoformat()}", "range")


def _year(text: str) -> int:
    year = int(text)
    if not dates.PORTAL_DAYS.first.year <= year <= dates.PORTAL_DAYS.last.year:
        raise PeriodError(dates.out_of_range_message(dates.PORTAL_DAYS))
    return year


def period_from_key(key: str) -> Period:
    """The period named by ``key`` (see the module's docstring); ``PeriodError`` if it cannot be read."""
    key = (key or "").strip()
    try:
        if match := _YEAR.fullmatch(key):
            return year_period(_year(match[1]))
        if match := _QUARTER.fullmatch(key):
            return quarter_period(_year(match[1]), int(match[2]))
        if match := _MONTH.fullmatch(key):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_("Choose a month from 01 to 12."))
            return month_period(_year(match[1]), month)
        if match := _RANGE.fullmatch(key):
            first, last = (datetime.date.fromisoformat(match[i]) for i in (1, 2))
            _year(str(first.year))
            _year(str(last.year))
            return range_period(first, last)
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(_("Enter real dates.")) from error
    raise PeriodError(_("Choose a period from the list, or enter a first and a last day."))


def period_choices(*, first_year: int, last_year: int) -> list[tuple[str, list[Period]]]:
    """The periods to offer, newest first, grouped by year: the year, its quarters and its months."""
    groups = []
    for year in range(last_year, first_year - 1, -1):
        periods = [year_period(year)]
        periods += [quarter_period(year, quarter) for quarter in range(1, 5)]
        periods += [month_period(year, month) for month in range(1, 13)]
        groups.append((str(year), periods))
    return groups


def periods_within(period: Period) -> tuple[str, list[Period]]:
    """The buckets of a time series over ``period``: months, or days for a period of up to 62 days."""
    if period.days <= 62:
        days = [period.first + datetime.timedelta(days=n) for n in range(period.days)]
        return "day", [Period(day, day, day.isoformat(), "range") for day in days]
    months = []
    year, month = period.first.year, period.first.month
    while datetime.date(year, month, 1) <= period.last:
        months.append(month_period(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return "month", months
