from amtsweg.core.errors import DomainError


class ResidentsError(DomainError):
    """A refusal of the Bürgerbüro's services (the register cannot be reached, a rule of the BMG), safe to show.

    Views do not catch it: ``DomainErrorMiddleware`` shows ``residents/problem.html`` with the message, in
    the citizen's language.
    """

    template = "residents/problem.html"
