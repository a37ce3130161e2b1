"""Month arithmetic for periods that end "n months later" (core/dates.py)."""

import datetime

import pytest

from amtsweg.core.dates import add_months


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2026, 12, 6), 24, datetime.date(2028, 12, 6)),
        (datetime.date(2028, 12, 6), -3, datetime.date(2028, 9, 6)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2026, 5, 31), -3, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), -1, datetime.date(2025, 12, 15)),
    ],
)
def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected
