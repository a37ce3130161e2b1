from amtsweg.applications.errors import ApplicationError


class PaymentError(ApplicationError):
    """A citizen-facing problem with paying. The applications' error middleware shows it as a page."""
