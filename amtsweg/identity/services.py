"""Logging citizens in and out, and keeping their session within the limits of its trust level.

The session holds the normalised identity (``identity``), the level, when the
login happened and when the citizen was last seen. ``citizen_login_finish`` is
the one place where any provider's answer becomes a login.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .base import Identity, IdentityRejected
from .constants import SESSION_LIMITS, level_satisfies
from .models import CitizenAccount

logger = logging.getLogger(__name__)
security_log = logging.getLogger("amtsweg.identity.security")

SESSION_KEY = "identity"
PENDING_KEY = "identity_pending"
PENDING_MAX_AGE = 30 * 60  # a login not finished within 30 minutes is forgotten


def safe_next(request: HttpRequest, url: str | None, default: str = "/") -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return default


# --- the pending login ------------------------------------------------------------


def login_pending_start(*, request: HttpRequest, provider: str, level: str, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "provider": provider,
        "level": level,
        "next": safe_next(request, next_url),
        "started": time.time(),
        "data": {},
    }


def login_pending(request: HttpRequest, *, provider: str) -> dict[str, Any]:
    """The pending login for ``provider``; IdentityRejected if there is none (an answer we never asked for)."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("provider") != provider:
        raise IdentityRejected("no login was started here")
    if time.time() - float(pending.get("started", 0)) > PENDING_MAX_AGE:
        raise IdentityRejected("the login took too long")
    return pending


def login_pending_put(request: HttpRequest, *, provider: str, **data: Any) -> None:
    """Keep provider data with the pending login (a SAML request id, an OIDC state and nonce)."""
    pending = login_pending(request, provider=provider)
    pending["data"] = {**pending.get("data", {}), **data}
    request.session[PENDING_KEY] = pending


# --- login, the session, logout ----------------------------------------------------


def citizen_login_finish(*, request: HttpRequest, identity: Identity) -> HttpResponse:
    """Log the citizen in with a verified identity and send them back where they came from.

    Refuses a level lower than the one requested. The session id rotates, so a
    session id planted before the login is worthless afterwards.
    """
    pending = login_pending(request, provider=identity.provider)
    if not identity.subject:
        raise IdentityRejected("the provider gave no pseudonym")
    if not level_satisfies(identity.trust_level, pending["level"]):
        raise IdentityRejected(f"level {identity.trust_level!r} is lower than the requested {pending['level']!r}")
    next_url = pending["next"]
    account = _account_for(identity)
    request.session.pop(PENDING_KEY, None)
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {
        **identity.as_session(),
        "account": str(account.uuid),
        "login_at": now,
        "seen_at": now,
    }
    logger.info("citizen logged in via %s at level %s", identity.provider, identity.trust_level)
    return HttpResponseRedirect(next_url)


@transaction.atomic
def _account_for(identity: Identity) -> CitizenAccount:
    account, _created = CitizenAccount.objects.get_or_create(provider=identity.provider, subject=identity.subject)
    account.last_login_at = timezone.now()
    if identity.email:
        account.email = identity.email
    account.save(update_fields=["last_login_at", "email"])
    return account


def citizen_identity(request: HttpRequest, *, touch: bool = True) -> Identity | None:
    """The logged-in citizen's identity, or None. Ends a session past its level's total or idle limit."""
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data:
        return None
    total, idle = SESSION_LIMITS.get(data.get("trust_level"), (0, 0))
    now = time.time()
    if now - float(data.get("login_at", 0)) > total or now - float(data.get("seen_at", 0)) > idle:
        citizen_logout(request)
        request.session["identity_expired"] = True
        return None
    if touch and now - float(data.get("seen_at", 0)) > 15:  # write the session at most every 15 seconds
        data["seen_at"] = now
        request.session[SESSION_KEY] = data
    return Identity.from_session(data)


def citizen_account(request: HttpRequest) -> CitizenAccount | None:
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data or citizen_identity(request, touch=False) is None:
        return None
    return CitizenAccount.objects.filter(uuid=data.get("account")).first()


def citizen_logout(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)
    request.session.cycle_key()


def login_rejected(*, request: HttpRequest, provider: str, reason: str) -> None:
    """Log a refused login; nobody stays logged in."""
    security_log.warning("login via %s refused: %s", provider, reason)
    request.session.pop(PENDING_KEY, None)
    request.session.pop(SESSION_KEY, None)
