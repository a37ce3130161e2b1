"""The domain error of the statistics pages (recording counter transactions)."""

from amtsweg.core.errors import DomainError


class StatisticsError(DomainError):
    """A refused entry; ``message`` is safe to show to staff. Answered by ``core.middleware.DomainErrorMiddleware``:
    back to the page the form was sent from, with the message, or the back office's error page."""

    template = "cases/error.html"
    redirect_back = True
