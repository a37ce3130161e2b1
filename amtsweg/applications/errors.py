from amtsweg.core.errors import DomainError


class ApplicationError(DomainError):
    """A citizen-facing problem with an application.

    Views do not catch it: ``DomainErrorMiddleware`` turns it into a page with
    the message, in the citizen's language.
    """

    template = "applications/problem.html"
