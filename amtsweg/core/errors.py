"""The one domain error of the portal.

Services raise a subclass of ``DomainError`` when a rule refuses what was asked
(a slot just taken, a transition that is not allowed, a login that must not
log anybody in). Views never catch it: ``amtsweg.core.middleware.DomainErrorMiddleware``
turns it into an answer, in one place. Each app has its own subclass, which
names the page that explains the refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest


class DomainError(Exception):
    """A refusal by a rule of the domain; ``message`` is safe to show (translated, no internals).

    Subclasses set ``template`` (the page that shows the message), and may set
    ``status`` (default 400) and ``redirect_back`` (see the middleware).
    Each can also be given per instance.
    """

    template: ClassVar[str]
    status: int = 400
    # A form sent from one of our own pages goes back there, with the message shown on it.
    redirect_back: ClassVar[bool] = False

    def __init__(
        self,
        message: str | Promise,
        *,
        status: int | None = None,
        template: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if template is not None:
            self.template = template  # type: ignore[misc]
        self.context = dict(context or {})

    def __str__(self) -> str:
        return str(self.message)

    def page_context(self) -> dict[str, Any]:
        """The context of the page that shows the error."""
        return {"message": self.message, **self.context}

    def record(self, *, request: HttpRequest) -> None:
        """Called by the middleware before it answers; a subclass may record the refusal here."""
