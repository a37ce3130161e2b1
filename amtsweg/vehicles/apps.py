from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "amtsweg.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self) -> None:
        from . import (  # noqa: F401
            citizen,  # what the citizen sees of the decision, and the proof to download
            fields,  # the field types vin, evb, licence_plate and the codes'
            hooks,  # the case hooks: sending, the decision
            rules,  # the four forms' rules and their gate before sending
            signals,  # an application's stored PDF deleted with it
            staff,  # the back office's panel for referred applications
        )
        from .ikfz.contrib.demo import plugin  # noqa: F401  (registers the demo vehicle registry)
