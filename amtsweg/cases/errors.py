"""The one domain error of the back office.

Services raise ``CaseError`` when a rule refuses a change (a transition that
is not allowed, a rejection without a reason, an assignee from another
department). Views never catch it: ``amtsweg.cases.middleware.CaseErrorMiddleware``
turns it into an answer in one place.
"""

from django.utils.functional import Promise


class CaseError(Exception):
    """A refused change; ``message`` is safe to show to staff (translated, no internals)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
