from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "amtsweg.appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from . import hooks, signals  # noqa: F401
