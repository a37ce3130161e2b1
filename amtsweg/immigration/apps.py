from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmigrationConfig(AppConfig):
    name = "amtsweg.immigration"
    verbose_name = _("Immigration and integration")

    def ready(self) -> None:
        # The staff triage's case hooks, the contact form's rules, and the receipt's panel and attachment.
        from . import hooks, receipt_hooks, rules  # noqa: F401
