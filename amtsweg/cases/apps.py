from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amtsweg.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .hooks import case_hooks
        from .selectors import checklist_inbox_lines

        # The checklist's state in the inbox rows of every service whose form has one.
        case_hooks.inbox_lines(checklist_inbox_lines)
