from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "amtsweg.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self) -> None:
        from . import fields, hooks, staff  # noqa: F401  (field types; the case hooks; the back office)
        from .ikfz.contrib.demo import plugin  # noqa: F401  (registers the demo vehicle registry)
