from amtsweg.core.errors import DomainError


class ResidentsError(DomainError):
    """A Bürgerbüro service cannot do what was asked (the register or the seal is not available, a person
    the citizen may not act for). ``DomainErrorMiddleware`` shows the message with the way to the counter."""

    template = "residents/problem.html"
