from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a transaction reached the office: through the portal, or at the counter (recorded by staff)."""

    ONLINE = "online", _("Online")
    COUNTER = "counter", _("Counter")


class AppointmentOutcome(models.TextChoices):
    """What became of a confirmed appointment: still ahead (booked), kept, missed, or cancelled."""

    BOOKED = "booked", _("Booked")
    KEPT = "kept", _("Kept")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


class FunnelKind(models.TextChoices):
    """What a funnel count counts: drafts started, a step reached, the check page reached, submissions, and
    the errors of one field (or of the step as a whole) that a citizen met on a step."""

    STARTED = "started", _("Started")
    STEP = "step", _("Reached the step")
    CHECK = "check", _("Reached the check page")
    SUBMITTED = "submitted", _("Submitted")
    ERROR = "error", _("Error")
