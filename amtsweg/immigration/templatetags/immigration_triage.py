"""Template tags of the immigration office's staff triage, for the back office's menu."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def immigration_triage_allowed(user: Any) -> bool:
    """Whether ``user`` works on the immigration office's contact requests (its staff, superusers)."""
    from amtsweg.immigration.triage_selectors import triage_department_ids

    return bool(getattr(user, "is_authenticated", False) and triage_department_ids(user=user))
