"""The guard of every back-office view: ``staff_required``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

from .selectors import staff_may_use_back_office


def is_verified(user: Any) -> bool:
    """Whether ``user`` passed the second factor in this session."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def with_next(url_name: str, next_url: str) -> str:
    """The address of ``url_name`` that leads on to ``next_url`` afterwards."""
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def second_factor_step(request: HttpRequest) -> str | None:
    """The URL name of the second-factor page this user must pass first, or None."""
    user = request.user
    if not settings.STAFF_2FA_REQUIRED or is_verified(user):
        return None
    return "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in (redirect to the staff login), staff of a department or superuser (403), second factor passed.

    Responses are never cached: they hold personal data.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not staff_may_use_back_office(user=request.user):
            raise PermissionDenied
        step = second_factor_step(request)
        if step is not None:
            return HttpResponseRedirect(with_next(step, request.get_full_path()))
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    wrapper.staff_required = True  # type: ignore[attr-defined]  # marks the guarded views
    return wrapper
