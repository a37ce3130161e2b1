from amtsweg.core.errors import DomainError


class FeedbackError(DomainError):
    """A citizen-facing problem with the survey or the raffle.

    ``DomainErrorMiddleware`` turns it into a page with the message; views do not catch it.
    """

    template = "feedback/problem.html"
