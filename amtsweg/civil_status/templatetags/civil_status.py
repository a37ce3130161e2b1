"""Template tags of the Standesamt's fulfilment, for the back office's menu."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def fulfilment_allowed(user: Any) -> bool:
    """Whether ``user`` works on certificate orders (Standesamt staff, superusers)."""
    from amtsweg.civil_status.selectors import fulfilment_department_ids

    return bool(getattr(user, "is_authenticated", False) and fulfilment_department_ids(user=user))
