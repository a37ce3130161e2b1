from amtsweg.applications.errors import ApplicationError


class AppointmentError(ApplicationError):
    """A booking that cannot be made, with a message for the citizen and, where useful, the next free times."""

    def __init__(self, message: str, *, status: int = 400, alternatives: list | None = None) -> None:
        super().__init__(message, status=status)
        self.alternatives = alternatives or []
