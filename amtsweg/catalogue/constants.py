from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustLevel(models.TextChoices):
    """The lowest identification level a service accepts (BundID / eIDAS)."""

    NONE = "none", _("No login needed")
    BASIC = "basic", _("Basic: confirmed email address or BundID basic")
    SUBSTANTIAL = "substantial", _("Substantial: e.g. ELSTER certificate via BundID")
    HIGH = "high", _("High: online ID card, electronic residence permit or EU citizen card")


class OnlineMode(models.TextChoices):
    """How a citizen uses the service."""

    FULLY_ONLINE = "online", _("Fully online")
    ONLINE_THEN_APPOINTMENT = "online_appointment", _("Prepare online, then an appointment on site")
    COUNTER = "counter", _("In person only")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HoursKind(models.TextChoices):
    OPEN = "open", _("Open to everyone")
    APPOINTMENT = "appointment", _("Appointments only")
