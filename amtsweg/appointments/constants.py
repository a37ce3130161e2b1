from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentStatus(models.TextChoices):
    HELD = "held", _("Held, waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Hold expired")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")
    DONE = "done", _("Done")


# These take a counter and a place in the waiting room.
ACTIVE = frozenset({AppointmentStatus.HELD, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN})


class ClosureKind(models.TextChoices):
    CLOSURE = "closure", _("Closed (the city's own closure day)")
    ABSENCE = "absence", _("Staff absence")
