from typing import Any

from amtsweg.applications.errors import ApplicationError


class AppointmentError(ApplicationError):
    """A booking that cannot be made, with a message for the citizen and, where useful, the next free times.

    The applications' error middleware shows ``appointments/problem.html`` with ``context``.
    """

    template = "appointments/problem.html"

    def __init__(
        self, message: str, *, status: int = 400, alternatives: list | None = None, bookable: Any = None
    ) -> None:
        super().__init__(message, status=status)
        self.alternatives = alternatives or []
        self.context = {"alternatives": self.alternatives, "bookable": bookable}
