from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmigrationConfig(AppConfig):
    name = "amtsweg.immigration"
    verbose_name = _("Immigration and integration")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (the staff triage's case hooks register on import)
