from typing import Any

from amtsweg.core.errors import DomainError


class AppointmentError(DomainError):
    """A booking that cannot be made, with a message for the citizen and, where useful, the next free times.

    ``DomainErrorMiddleware`` shows ``appointments/problem.html`` with ``context``.
    """

    template = "appointments/problem.html"

    def __init__(
        self, message: str, *, status: int = 400, alternatives: list | None = None, bookable: Any = None
    ) -> None:
        self.alternatives = alternatives or []
        super().__init__(message, status=status, context={"alternatives": self.alternatives, "bookable": bookable})
