from amtsweg.core.errors import DomainError


class PaymentError(DomainError):
    """A citizen-facing problem with paying. ``DomainErrorMiddleware`` shows it as a page."""

    template = "applications/problem.html"
