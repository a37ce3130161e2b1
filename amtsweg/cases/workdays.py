"""Moved to ``amtsweg.core.workdays``, so that the apps below cases (statistics) can count working days too.

Kept as a re-export for code that still imports it from here."""

from amtsweg.core.workdays import (
    COUNTRY,
    SUBDIVISION,
    add_working_days,
    due_date,
    is_public_holiday,
    is_working_day,
    working_days_between,
)

__all__ = [
    "COUNTRY",
    "SUBDIVISION",
    "add_working_days",
    "due_date",
    "is_public_holiday",
    "is_working_day",
    "working_days_between",
]
