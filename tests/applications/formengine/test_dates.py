"""The date field: three inputs, real dates only, and the rules relative to today (15 March 2026)."""

import datetime

import pytest
from django.utils import translation

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.registry import field_types
from amtsweg.core import dates

from .conftest import TODAY
from .helpers import clean, date_data, spec

DAY = datetime.timedelta(days=1)


def errors(data, **options):
    return [(e.part, e.message) for e in clean(spec("date", **options), data).errors]


def test_date_is_stored_as_an_iso_string():
    assert clean(spec("date"), {"q-day": "5", "q-month": "3", "q-year": "2026"}).value == "2026-03-05"


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [(" 05 ", "03", "2026"), ("5.", "3.", "2026"), ("5", "März", "2026"), ("5", "march", "2026"), ("5", "Mar", "2026")],
)
def test_date_accepts_leading_zeros_dots_and_month_names(day, month, year):
    assert clean(spec("date"), {"q-day": day, "q-month": month, "q-year": year}).value == "2026-03-05"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, [("day", "Enter a date")]),
        ({"q-month": "3", "q-year": "2026"}, [("day", "The date must include a day")]),
        ({"q-day": "5", "q-year": "2026"}, [("month", "The date must include a month")]),
        ({"q-day": "5", "q-month": "3"}, [("year", "The date must include a year")]),
        ({"q-year": "2026"}, [("day", "The date must include a day and a month")]),
        ({"q-month": "3"}, [("day", "The date must include a day and a year")]),
        ({"q-day": "5"}, [("month", "The date must include a month and a year")]),
        ({"q-day": "31", "q-month": "2", "q-year": "2026"}, [("day", "The date must be a real date")]),
        ({"q-day": "29", "q-month": "2", "q-year": "2025"}, [("day", "The date must be a real date")]),
        ({"q-day": "32", "q-month": "1", "q-year": "2026"}, [("day", "The date must be a real date")]),
        ({"q-day": "x", "q-month": "1", "q-year": "2026"}, [("day", "The date must be a real date")]),
        ({"q-day": "1", "q-month": "13", "q-year": "2026"}, [("month", "The date must be a real date")]),
        ({"q-day": "1", "q-month": "Brumaire", "q-year": "2026"}, [("month", "The date must be a real date")]),
        ({"q-day": "1", "q-month": "1", "q-year": "26"}, [("year", "The year must include 4 numbers")]),
        ({"q-day": "1", "q-month": "1", "q-year": "20266"}, [("year", "The year must include 4 numbers")]),
        ({"q-day": "1", "q-month": "1", "q-year": "1849"}, [("year", "The year must be 1850 or later")]),
        ({"q-day": "31", "q-month": "12", "q-year": "9999"}, [("year", "The year must be 2126 or earlier")]),
        ({"q-day": "1", "q-month": "1", "q-year": "2127"}, [("year", "The year must be 2126 or earlier")]),
        ({"q-day": "1", "q-month": "1", "q-year": "two"}, [("year", "The date must be a real date")]),
    ],
)
def test_date_problems_name_the_part_to_link_to(data, expected):
    assert errors(data) == expected


def test_date_accepts_the_years_from_1850_to_a_hundred_years_ahead():
    assert clean(spec("date"), {"q-day": "1", "q-month": "1", "q-year": "1850"}).value == "1850-01-01"
    assert clean(spec("date"), {"q-day": "31", "q-month": "12", "q-year": "2126"}).value == "2126-12-31"


def test_date_29_february_in_a_leap_year_is_real():
    assert clean(spec("date"), {"q-day": "29", "q-month": "2", "q-year": "2024"}).value == "2024-02-29"


def test_date_error_links_to_the_day_input():
    error = clean(spec("date"), {"q-day": "31", "q-month": "2", "q-year": "2026"}).errors[0]
    assert error.anchor == "id_q-day"


def test_date_not_in_future_accepts_today_and_refuses_tomorrow():
    assert errors(date_data("q", TODAY), not_in_future=True) == []
    assert errors(date_data("q", TODAY + DAY), not_in_future=True) == [("day", "The date must be today or in the past")]


def test_date_not_in_past_accepts_today_and_refuses_yesterday():
    assert errors(date_data("q", TODAY), not_in_past=True) == []
    assert errors(date_data("q", TODAY - DAY), not_in_past=True) == [("day", "The date must be today or in the future")]


def test_date_fourteen_days_ago_is_accepted_fifteen_is_not():
    options = {"max_days_ago": 14, "max_days_ahead": 7}
    assert errors(date_data("q", TODAY - 14 * DAY), **options) == []
    assert errors(date_data("q", TODAY - 15 * DAY), **options) == [
        ("day", "The date must be between 1 March 2026 and 22 March 2026")
    ]


def test_date_seven_days_ahead_is_accepted_eight_is_not():
    options = {"max_days_ago": 14, "max_days_ahead": 7}
    assert errors(date_data("q", TODAY + 7 * DAY), **options) == []
    assert errors(date_data("q", TODAY + 8 * DAY), **options) == [
        ("day", "The date must be between 1 March 2026 and 22 March 2026")
    ]


def test_date_with_only_one_bound_says_which_side():
    assert errors(date_data("q", TODAY - 15 * DAY), max_days_ago=14) == [
        ("day", "The date must be the same as or after 1 March 2026")
    ]
    assert errors(date_data("q", TODAY + 8 * DAY), max_days_ahead=7) == [
        ("day", "The date must be the same as or before 22 March 2026")
    ]


def test_date_range_message_uses_german_dates_in_german():
    with translation.override("de"):
        message = clean(spec("date", max_days_ago=14), date_data("q", TODAY - 15 * DAY)).errors[0].message
    assert "1.3.2026" in message


def test_date_min_age_16_is_reached_on_the_sixteenth_birthday_exactly():
    sixteenth_birthday = datetime.date(2010, 3, 15)
    assert errors(date_data("q", sixteenth_birthday), min_age=16) == []
    assert errors(date_data("q", sixteenth_birthday + DAY), min_age=16) == [
        ("day", "The person must be at least 16 years old")
    ]


def test_date_max_age_17_allows_the_day_before_the_eighteenth_birthday():
    assert errors(date_data("q", datetime.date(2008, 3, 16)), max_age=17) == []
    assert errors(date_data("q", datetime.date(2008, 3, 15)), max_age=17) == [
        ("day", "The person must be 17 years old or younger")
    ]


def test_date_rule_messages_can_be_replaced_by_the_definition():
    field = spec("date", min_age=16, error_min_age={"de": "Sie müssen 16 sein", "en": "You must be 16 or older"})
    assert clean(field, date_data("q", TODAY)).errors == [FieldError("q", "You must be 16 or older", "day")]


def test_someone_born_on_29_february_turns_a_year_older_on_1_march():
    born = datetime.date(2008, 2, 29)
    assert dates.age_on(born, datetime.date(2026, 2, 28)) == 17
    assert dates.age_on(born, datetime.date(2026, 3, 1)) == 18


def test_date_is_displayed_5_3_2026_in_german_and_5_march_2026_in_english():
    date = field_types.get("date")
    assert date.display(spec("date"), "2026-03-05") == "5 March 2026"
    with translation.override("de"):
        assert date.display(spec("date"), "2026-03-05") == "5.3.2026"
