from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "amtsweg.residents"
    verbose_name = _("Residents' office")

    def ready(self) -> None:
        from . import hooks, rules  # noqa: F401  (registers the service rules and the case hooks)
        from .register.contrib.demo import plugin  # noqa: F401  (registers the demo register)
