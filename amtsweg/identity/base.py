"""The interface every identity provider plugin implements (BundID over SAML, OIDC, email link, ...).

A plugin sends the citizen away to log in (``login_start``) and, on its own
callback URL (``urlpatterns``, mounted under ``/anmelden/<slug>/``), turns the
answer into one normalised ``Identity`` and calls
``identity.services.citizen_login_finish``, which checks the trust level,
rotates the session and logs the citizen in. Refusals raise ``IdentityRejected``:
the citizen sees a clear page, nobody is logged in and the reason is logged.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

from amtsweg.core import dates
from amtsweg.core.errors import DomainError

# The oldest person alive was born after 1900: a birth date outside these days is a fault of the answer, and
# is left out like a partial date, so that the form asks for it.
BIRTH_DATES_FROM = datetime.date(1900, 1, 1)


def birth_dates() -> dates.DateRange:
    """The birth dates a provider's answer may give: from 1900 to today."""
    return dates.DateRange(BIRTH_DATES_FROM, dates.today())


class IdentityRejected(DomainError):
    """A login answer that must not log anybody in: forged, expired, replayed, foreign, too low a level.

    ``DomainErrorMiddleware`` logs the reason and shows a clear page (403);
    the reason is for the security log only, never shown to the citizen.
    """

    template = "identity/login_failed.html"
    status = 403

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def page_context(self) -> dict[str, Any]:
        return {}

    def record(self, *, request: HttpRequest) -> None:
        # Imported here: the services build on this module's classes.
        from .services import login_rejected

        match = request.resolver_match
        provider = ""
        if match is not None:
            provider = match.kwargs.get("provider") or match.namespace.removeprefix("identity_")
        login_rejected(request=request, provider=provider, reason=self.reason)


@dataclass(frozen=True)
class Identity:
    """A citizen as vouched for by a provider, normalised across providers.

    ``subject`` is the provider's stable pseudonym (BundID's bPK2, OIDC's
    ``sub``): the key of the citizen's account. Empty strings mean "not given".
    """

    provider: str
    subject: str
    trust_level: str
    given_names: str = ""
    family_name: str = ""
    birth_name: str = ""
    birth_date: str = ""  # ISO date
    place_of_birth: str = ""
    nationality: str = ""  # ISO 3166-1 alpha-2 where the provider says so, e.g. "DE"
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    town: str = ""
    document_type: str = ""  # e.g. "ID" (ID card), "AT" (eAT), "UB" (EU citizen card)
    email: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def as_session(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("raw", None)
        return data

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> Identity:
        known = {name for name in cls.__dataclass_fields__ if name != "raw"}
        return cls(**{key: value for key, value in data.items() if key in known})

    @property
    def birth(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.birth_date) if self.birth_date else None
        except ValueError:
            return None


class IdentityProvider(ABC):
    """Override points of a provider. Instances are created per use from settings."""

    slug: str = ""
    verbose_name: Any = ""
    description: Any = ""
    # The highest level this provider can vouch for; the login page offers it for services up to that level.
    max_level: str = "high"

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})

    def enabled(self) -> bool:
        """Whether the provider is configured here (the login page lists only enabled ones)."""
        return True

    def check_configuration(self, *, production: bool) -> list[str]:
        return []

    @abstractmethod
    def login_start(self, *, request: HttpRequest, level: str) -> HttpResponse:
        """Send the citizen to log in at ``level`` or higher. The pending login is in the session already."""

    # Session keys that ``logout_start`` writes and the answer to the single logout reads: they are carried into
    # the new, empty session when the citizen logs out.
    logout_session_keys: tuple[str, ...] = ()

    def logout_start(self, *, request: HttpRequest, identity: Identity) -> HttpResponse | None:
        """Single logout at the provider, if it has one; None to log out here only. Runs before the session
        ends, so it can read what the login left there."""
        return None
