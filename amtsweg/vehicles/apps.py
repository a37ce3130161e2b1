from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "amtsweg.vehicles"
    verbose_name = _("Vehicle registration")

    def ready(self) -> None:
        from . import fields, hooks  # noqa: F401  (field types; the case hooks)
        from .ikfz.contrib.demo import plugin  # noqa: F401  (registers the demo vehicle registry)
