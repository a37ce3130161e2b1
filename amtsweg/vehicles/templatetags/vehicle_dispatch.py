"""Template tags of the Kfz-Zulassung's dispatch queue, for the back office's menu."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def vehicle_dispatch_allowed(user: Any) -> bool:
    """Whether ``user`` posts the documents of approved registrations (kfz staff, superusers)."""
    from amtsweg.vehicles.dispatch import dispatch_allowed

    return dispatch_allowed(user=user)
