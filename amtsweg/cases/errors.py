"""The one domain error of the back office.

Services raise ``CaseError`` when a rule refuses a change (a transition that
is not allowed, a rejection without a reason, an assignee from another
department). Views never catch it: ``amtsweg.core.middleware.DomainErrorMiddleware``
turns it into an answer in one place: back to the page the form was sent from,
with the message, or the page ``cases/error.html``.
"""

from amtsweg.core.errors import DomainError


class CaseError(DomainError):
    """A refused change; ``message`` is safe to show to staff (translated, no internals)."""

    template = "cases/error.html"
    redirect_back = True
