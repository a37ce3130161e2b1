from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "amtsweg.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self) -> None:
        from . import (
            fields,  # noqa: F401  (registers vin, evb, licence_plate)
            rules,  # noqa: F401  (the four forms' rules and their gate before sending)
        )
        from .ikfz.contrib.demo import plugin  # noqa: F401  (registers the demo vehicle registry)
