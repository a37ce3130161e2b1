"""The interface every payment provider plugin implements.

A provider is a hosted payment page: we start a transaction server-to-server,
send the citizen's browser there, and learn the outcome three ways, none of
which is trusted blindly:

- the browser return (``handle_return``): only a hint; a "paid" must be
  confirmed by the provider's own answer (``query_status`` or a signed return);
- the server-to-server notification (``handle_notification``): signed;
- the status query (``query_status``), used by reconciliation.

Amount, currency and our reference in every answer are checked against our
records by ``payments.services``, not by the plugin. See docs/payments.md.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .constants import TransactionStatus

if TYPE_CHECKING:
    from .models import PaymentTransaction


class ProviderUnavailable(Exception):
    """The provider cannot be reached or answered with a server error; try again later."""


class NotificationRejected(Exception):
    """A notification or return that fails verification (signature, format). Logged, changes nothing."""


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: Any  # a lazy translation


@dataclass(frozen=True)
class ProviderUrls:
    """Where the provider sends the browser back, and where it posts notifications."""

    return_url: str
    cancel_url: str
    notify_url: str


@dataclass(frozen=True)
class StartResult:
    provider_id: str
    redirect_url: str


@dataclass(frozen=True)
class ProviderAnswer:
    """What the provider says about one transaction, after its signature was checked."""

    merchant_reference: str  # our PaymentTransaction.uuid, as sent in start()
    status: TransactionStatus
    provider_id: str = ""
    amount_cents: int | None = None
    currency: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    provider_refund_id: str
    completed: bool


@dataclass(frozen=True)
class IncomingRequest:
    """The parts of an HTTP request a plugin may need, so plugins do not depend on Django's request."""

    method: str
    params: Mapping[str, str]  # query string and form fields
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


class PaymentProvider(ABC):
    """Override points of a provider. Instances are created per use from settings."""

    slug: str = ""
    verbose_name: Any = ""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})

    def methods(self) -> list[PaymentMethod]:
        """The methods the citizen picks from before the redirect; empty means the provider's page asks."""
        return []

    def check_configuration(self, *, production: bool) -> list[str]:
        """Problems that keep the provider from working here (missing secrets, not allowed in production)."""
        return []

    @abstractmethod
    def start(self, *, transaction: PaymentTransaction, method: str, purpose: str, urls: ProviderUrls) -> StartResult:
        """Create the transaction at the provider. Raises ProviderUnavailable."""

    @abstractmethod
    def handle_return(self, *, transaction: PaymentTransaction, request: IncomingRequest) -> ProviderAnswer:
        """Read the browser's return. A "paid" must be confirmed by the provider, never by the browser alone.

        Raises NotificationRejected for a forged return, ProviderUnavailable if
        the confirmation cannot be fetched (the payment then stays pending).
        """

    @abstractmethod
    def handle_notification(self, *, request: IncomingRequest) -> ProviderAnswer:
        """Verify and read a server-to-server notification. Raises NotificationRejected."""

    def notification_ack(self, *, accepted: bool) -> tuple[int, str]:
        """The HTTP status and body the provider expects in reply to a notification."""
        return (200, "OK") if accepted else (400, "rejected")

    @abstractmethod
    def query_status(self, *, transaction: PaymentTransaction) -> ProviderAnswer:
        """Ask the provider about a transaction. Raises ProviderUnavailable."""

    @abstractmethod
    def refund(self, *, transaction: PaymentTransaction, amount_cents: int, reason: str) -> RefundResult:
        """Pay back all or part of a paid transaction. Raises ProviderUnavailable."""
