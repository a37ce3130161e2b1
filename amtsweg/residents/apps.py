from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "amtsweg.residents"
    verbose_name = _("Residents' office")

    def ready(self) -> None:
        from . import (  # noqa: F401  (they register on import)
            formfields,  # the register_person field type
            hooks,  # the form gate, the case and page hooks
            journey,  # the Meldebescheinigung's own pages
            nebenwohnung,  # the Abmeldung einer Nebenwohnung's gate, rule and case hooks
            paper,  # the print of a paper Meldebescheinigung on its case page
            rules,  # the service rules
            staff,  # the back office: the Melderegisterauskunft's panel, the inbox's register notes
        )
        from .register.contrib.demo import plugin  # noqa: F401  (registers the demo register)
