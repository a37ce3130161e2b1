"""Citizen login, logout and the account page ("Mein Amtsweg")."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.applications.access import status_access_grant
from amtsweg.catalogue.constants import TrustLevel
from amtsweg.core.trustgate import public

from .base import Identity
from .constants import level_rank, level_satisfies
from .registry import registry
from .services import (
    citizen_account,
    citizen_identity,
    citizen_logout,
    citizen_session_open,
    login_pending_start,
    safe_next,
)


def _providers_for(level: str) -> list:
    return [provider for provider in registry.enabled() if level_satisfies(provider.max_level, level)]


def _level(raw: str | None) -> str:
    return raw if raw in TrustLevel.values and raw != TrustLevel.NONE else TrustLevel.BASIC


def login_required_page(request: HttpRequest, *, level: str, identity: Identity | None) -> HttpResponse:
    """The page the trust-level gate shows: why a login is needed, and the logins that reach the level."""
    expired = request.session.pop("identity_expired", False)
    return render(
        request,
        "identity/login_required.html",
        {
            "level": level,
            "level_label": TrustLevel(level).label,
            "identity": identity,
            "expired": expired,
            "providers": _providers_for(level),
            "next": request.get_full_path(),
        },
        status=403 if identity is not None and not expired else 401,
    )


@public
@never_cache
def login_choice(request: HttpRequest) -> HttpResponse:
    level = _level(request.GET.get("level"))
    return render(
        request,
        "identity/login.html",
        {
            "level": level,
            "level_label": TrustLevel(level).label,
            "providers": _providers_for(level),
            "next": safe_next(request, request.GET.get("next"), "/mein-amtsweg/"),
            "expired": request.session.pop("identity_expired", False),
        },
    )


@public
@require_http_methods(["POST"])
def login_start(request: HttpRequest, provider: str) -> HttpResponse:
    enabled = {p.slug: p for p in registry.enabled()}
    if provider not in enabled:
        raise Http404("unknown provider")
    level = _level(request.POST.get("level"))
    if level_rank(enabled[provider].max_level) < level_rank(level):
        raise Http404("the provider cannot reach this level")
    login_pending_start(request=request, provider=provider, level=level, next_url=request.POST.get("next", "/"))
    return enabled[provider].login_start(request=request, level=level)


@public
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    identity = citizen_identity(request, touch=False)
    if request.method == "GET":
        return render(
            request, "identity/logout.html", {"identity": identity, "session_open": citizen_session_open(request)}
        )
    provider = registry.get(identity.provider) if identity is not None and identity.provider in registry else None
    # The provider's single logout reads the login's data before the session ends, and keeps what it needs to
    # recognise the answer; everything else the session held ends here.
    response = provider.logout_start(request=request, identity=identity) if provider and identity else None
    citizen_logout(request, keep=provider.logout_session_keys if provider else ())
    if response is not None:
        return response
    messages.success(request, _("You are logged out.") if identity is not None else _("Your session has ended."))
    return redirect("home")


@public
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    identity = citizen_identity(request)
    owner = citizen_account(request)
    if identity is None or owner is None:
        return login_required_page(request, level=TrustLevel.BASIC, identity=None)
    from .account import account_sections_for
    from .selectors import account_overview

    # Seeing one's own submissions counts as seeing the status page: the session may open them.
    overview = account_overview(account=owner)
    for item in overview:
        status_access_grant(session=request.session, submission=item.submission, for_login=True)
    sections = account_sections_for(request=request, identity=identity, account=owner)
    return render(
        request,
        "identity/account.html",
        {"identity": identity, "account": owner, "overview": overview, "sections": sections},
    )


@public
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    owner = citizen_account(request)
    if owner is None:
        return login_required_page(request, level=TrustLevel.BASIC, identity=None)
    if request.method == "POST":
        with transaction.atomic():
            owner.delete()  # submissions stay, reachable by reference and access code only
        citizen_logout(request)
        messages.success(request, _("Your account is deleted. Your applications remain with their reference numbers."))
        return redirect("home")
    return render(request, "identity/account_delete.html", {"account": owner})
