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
