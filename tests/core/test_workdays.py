import datetime

import pytest

from amtsweg.core.workdays import add_working_days, due_date, is_public_holiday, is_working_day

D = datetime.date


def test_hessian_holidays_are_known_and_other_states_holidays_are_not():
    assert is_public_holiday(D(2026, 6, 4))  # Fronleichnam, a holiday in Hesse
    assert is_public_holiday(D(2026, 12, 25)) and is_public_holiday(D(2026, 12, 26))
    assert not is_public_holiday(D(2026, 10, 31))  # Reformationstag: not in Hesse
    assert not is_public_holiday(D(2026, 11, 1))  # Allerheiligen: not in Hesse


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Thursday 24 Dec 2026: Fri 25 and Sat 26 are holidays, then the weekend.
        (D(2026, 12, 24), 1, D(2026, 12, 28)),
        (D(2026, 12, 24), 2, D(2026, 12, 29)),
        # Friday: the weekend is skipped.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
        (D(2026, 11, 20), 10, D(2026, 12, 4)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        # Zero days: the same day if it is a working day, else the next one.
        (D(2026, 11, 24), 0, D(2026, 11, 24)),
        (D(2026, 12, 25), 0, D(2026, 12, 28)),
    ],
)
def test_working_days_skip_weekends_and_hessian_holidays(start, days, expected):
    assert add_working_days(start, days) == expected
    assert is_working_day(expected)


def test_calendar_days_count_every_day():
    assert due_date(received=D(2026, 12, 24), days=2, working_days=False) == D(2026, 12, 26)
    assert due_date(received=D(2026, 12, 24), days=2, working_days=True) == D(2026, 12, 29)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1)
