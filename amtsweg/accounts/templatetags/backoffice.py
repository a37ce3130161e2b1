"""Template tags of the back office's frame."""

from __future__ import annotations

from django import template
from django.contrib import admin
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def admin_allowed(request: HttpRequest) -> bool:
    """Whether the admin has anything for this user: staff status and at least one model to see.

    The menu shows "Administration" only then; otherwise the admin would answer with a page that says
    the account lacks the rights.
    """
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return False
    return bool(admin.site.get_app_list(request))
