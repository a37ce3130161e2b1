"""Logging citizens in and out, and keeping their session within the limits of its trust level.

The session holds the normalised identity (``identity``), the level, when the
login happened and when the citizen was last seen. ``citizen_login_finish`` is
the one place where any provider's answer becomes a login.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from amtsweg.applications.access import status_access_any, status_access_end, status_access_grant
from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import session_has_drafts

from .base import Identity, IdentityRejected
from .constants import SESSION_LIMITS, level_satisfies
from .models import CitizenAccount

logger = logging.getLogger(__name__)
security_log = logging.getLogger("amtsweg.identity.security")

SESSION_KEY = "identity"
PENDING_KEY = "identity_pending"
# Whose session this is: the account of its last login, kept when the login expires, so that a login as
# someone else clears what the session still holds (drafts with that person's answers).
OWNER_KEY = "identity_owner"
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
    session = request.session
    session.pop(PENDING_KEY, None)
    if session.get(OWNER_KEY) not in (None, str(account.uuid)):
        # Someone else's session (logged in, or expired but not logged out): nothing of it stays.
        session.flush()
    else:
        # The same person again, or a session nobody had logged into: drafts stay, access granted before does
        # not (the person's own applications are granted below).
        status_access_end(session=session)
        session.cycle_key()
    now = time.time()
    session[SESSION_KEY] = {
        **identity.as_session(),
        "account": str(account.uuid),
        "login_at": now,
        "seen_at": now,
    }
    session[OWNER_KEY] = str(account.uuid)
    for submission in Submission.objects.filter(account=account).only("uuid"):
        status_access_grant(session=session, submission=submission, for_login=True)
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
        _identity_end(request)
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


def citizen_logout(request: HttpRequest, *, keep: Iterable[str] = ()) -> None:
    """End the whole session: the login, access to applications and their codes, drafts in progress.

    What a shared computer needs after "Abmelden". ``keep`` names session keys carried into the new, empty
    session (what a provider needs to recognise the answer to its single logout).
    """
    kept = {key: request.session[key] for key in keep if key in request.session}
    request.session.flush()
    for key, value in kept.items():
        request.session[key] = value


def citizen_session_open(request: HttpRequest) -> bool:
    """Whether this browser holds anything of a citizen's: a login, access to an application or a draft (then
    the page frame offers to end the session, also to someone who never logged in)."""
    if not hasattr(request, "session"):
        return False
    session = request.session
    return bool(session.get(SESSION_KEY) or session_has_drafts(session=session) or status_access_any(session=session))


def _identity_end(request: HttpRequest) -> None:
    """The login ends without the citizen asking (it expired, or a login failed): the identity and every
    access granted go; the drafts stay for the same person's next login (``OWNER_KEY``)."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)
    status_access_end(session=request.session)
    request.session.cycle_key()


def login_rejected(*, request: HttpRequest, provider: str, reason: str) -> None:
    """Log a refused login; nobody stays logged in."""
    security_log.warning("login via %s refused: %s", provider, reason)
    if SESSION_KEY in request.session:
        _identity_end(request)
    else:
        request.session.pop(PENDING_KEY, None)
