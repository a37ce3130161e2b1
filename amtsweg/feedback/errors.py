from amtsweg.applications.errors import ApplicationError


class FeedbackError(ApplicationError):
    """A citizen-facing problem with the survey or the raffle.

    It is an ``ApplicationError``, so the one ``ApplicationErrorMiddleware``
    turns it into a page with the message; views do not catch it.
    """

    template = "feedback/problem.html"
