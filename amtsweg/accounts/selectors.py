"""Reads about staff accounts: which departments a staff member works for, and who may enter the back office."""

from __future__ import annotations

from typing import Any


def staff_department_ids(*, user: Any) -> set[int] | None:
    """The departments whose work ``user`` may see; ``None`` means all (superusers).

    The result is kept on the user object for the rest of the request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached: set[int] | None = getattr(user, "_case_department_ids", None)
    if cached is None:
        cached = set(user.departments.values_list("pk", flat=True)) if user.is_staff else set()
        user._case_department_ids = cached
    return cached


def staff_may_use_back_office(*, user: Any) -> bool:
    """A logged-in superuser, or a staff member of at least one department."""
    allowed = staff_department_ids(user=user)
    return allowed is None or bool(allowed)
