"""The words of the immigration office's staff triage: the contact form's topics and contact preferences (the
answer keys of its submission), and what staff decide for a request."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The contact form's service, its department and the place where its appointments are kept (catalogue slugs).
SERVICE = "zuwanderung-kontakt"
DEPARTMENT = "zuwanderung"
LOCATION = "zuwanderung"


class Topic(models.TextChoices):
    """What the citizen needs (the answer ``topic``)."""

    EXTEND_PERMIT = "extend_permit", _("Extend a residence permit")
    FIKTION = "fiktion", _("Fiktionsbescheinigung")
    SETTLEMENT = "settlement", _("Settlement permit")
    BLUE_CARD = "blue_card", _("EU Blue Card")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    OBLIGATION = "obligation", _("Formal obligation for a visitor")
    CARD_CHANGE = "card_change", _("New address or passport in the residence card")
    QUESTION = "question", _("General question")


class ContactPreference(models.TextChoices):
    """How the citizen prefers to be contacted (the answer ``contact_preference``)."""

    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    APPOINTMENT = "appointment", _("Appointment")


class CallTime(models.TextChoices):
    """When the citizen can be reached by phone (the answer ``call_times``, a list)."""

    MORNING = "morning", _("Mornings, 8 to 12")
    AFTERNOON = "afternoon", _("Afternoons, 12 to 16")


class Outcome(models.TextChoices):
    """What staff decided for the request; each is one click with a message to the citizen."""

    PHONE = "phone", _("Phone consultation")
    APPOINTMENT = "appointment", _("Appointment")
    DOCUMENTS = "documents", _("Documents sent")


class CallResult(models.TextChoices):
    """The result of a phone consultation, noted after the call."""

    REACHED = "reached", _("Reached: the consultation took place")
    NOT_REACHED = "not_reached", _("Not reached")
