from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilStatusConfig(AppConfig):
    name = "amtsweg.civil_status"
    verbose_name = _("Registry office")

    def ready(self) -> None:
        from . import church_leaving, death_journey, hooks, journey, marriage, rules  # noqa: F401  (the rules, hooks and pages)
