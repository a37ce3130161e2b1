from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amtsweg.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from . import signals  # noqa: F401
