from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "amtsweg.applications"
    verbose_name = _("Online applications")

    def ready(self) -> None:
        from . import (
            funnel,  # noqa: F401  (the form labels of the staff's funnel page)
            signals,  # noqa: F401  (form versions change the content version)
            start,  # noqa: F401  (the catalogue's start button)
        )
        from .formengine import fields  # noqa: F401  (registers the built-in field types)
