"""Reads about staff accounts: which departments a staff member works for, and who may enter the back office."""

from __future__ import annotations

from typing import Any


def _staff_departments(user: Any) -> dict[int, str]:
    """The user's departments, id to slug, read once and kept on the user object for the rest of the request."""
    cached: dict[int, str] | None = getattr(user, "_case_departments", None)
    if cached is None:
        cached = dict(user.departments.values_list("pk", "slug")) if user.is_staff else {}
        user._case_departments = cached
    return cached


def staff_department_ids(*, user: Any) -> set[int] | None:
    """The departments whose work ``user`` may see; ``None`` means all (superusers).

    The result is kept on the user object for the rest of the request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return set(_staff_departments(user))


def staff_department_slugs(*, user: Any) -> set[str] | None:
    """The slugs of the departments whose work ``user`` may see; ``None`` means all (superusers). Read with the
    ids (``staff_department_ids``), so a page that asks for both (the back office's menu) reads them once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return set(_staff_departments(user).values())


def staff_may_use_back_office(*, user: Any) -> bool:
    """A logged-in superuser, or a staff member of at least one department."""
    allowed = staff_department_ids(user=user)
    return allowed is None or bool(allowed)
