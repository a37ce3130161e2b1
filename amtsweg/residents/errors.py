from amtsweg.core.errors import DomainError


class ResidentsError(DomainError):
    """A refusal of the Bürgerbüro's services, safe to show: the register or the seal is not available, a person
    the citizen may not act for, a rule of the BMG.

    Views do not catch it: ``DomainErrorMiddleware`` shows ``residents/problem.html`` with the message, in
    the citizen's language.
    """

    template = "residents/problem.html"
