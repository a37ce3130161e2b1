from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "amtsweg.residents"
    verbose_name = _("Residents' office")

    def ready(self) -> None:
        from . import (
            formfields,  # noqa: F401  (registers the register_person field type)
            journey,  # noqa: F401  (registers the Meldebescheinigung's own pages)
            rules,  # noqa: F401  (registers the service rules)
        )
        from .register.contrib.demo import plugin  # noqa: F401  (registers the demo register)
