class ApplicationError(Exception):
    """A citizen-facing problem with an application (the one domain error type of this app).

    Views do not catch it: ``ApplicationErrorMiddleware`` turns it into a page
    with the message, in the citizen's language.
    """

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
