"""The Bürgerbüro's service slugs and the states of what the portal records about blockings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The catalogue's services (catalogue/seed/kassel.yaml) that these rules are for.
INFORMATION_BLOCK_SERVICE = "auskunftssperre"
TRANSFER_OBJECTION_SERVICE = "uebermittlungssperre"
MELDEBESCHEINIGUNG_SERVICE = "meldebescheinigung"
YOUTH_EXAMINATION_SERVICE = "untersuchungsberechtigungsschein"
SECONDARY_RESIDENCE_SERVICE = "nebenwohnung-abmelden"

# An approved Auskunftssperre lasts two years (§ 51(4) BMG); three months before it ends, the citizen and the
# Bürgerbüro are reminded that an extension needs fresh evidence.
INFORMATION_BLOCK_YEARS = 2
INFORMATION_BLOCK_REMIND_MONTHS = 3
# How long one spouse's objection to passing on the wedding anniversaries waits for the other's confirmation.
WEDDING_OBJECTION_DAYS = 60


class BlockAction(models.TextChoices):
    FILED = "filed", _("Filed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RegisterFinding(models.TextChoices):
    """What the register said about the person of a submission, as the inbox shows it ("Register: …").

    Recorded by ``services.register_finding_record`` (the latest finding wins); the labels are short, for a
    line in the inbox row.
    """

    FOUND = "found", _("person found")
    NOT_FOUND = "not_found", _("nobody found")
    AMBIGUOUS = "ambiguous", _("not unique")
    BLOCKED = "blocked", _("blocked — hearing")
    UNAVAILABLE = "unavailable", _("not reachable")
    SECONDARY_RESIDENCE = "secondary_residence", _("secondary residence registered")
    NO_SECONDARY_RESIDENCE = "no_secondary_residence", _("secondary residence not registered")
    NOT_RESIDENT = "not_resident", _("not registered in the city")
    MISMATCH = "mismatch", _("data differ from the register")


# A simple Melderegisterauskunft whose register cannot be reached is tried again after these minutes (the last
# value repeats) until INFORMATION_ANSWER_ATTEMPTS attempts in all; then it waits in the inbox for staff.
INFORMATION_RETRY_MINUTES = (1, 5, 15, 60)
INFORMATION_ANSWER_ATTEMPTS = 5
