from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "amtsweg.appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from amtsweg.core.metrics import metrics_gauges_register

        from . import hooks, signals  # noqa: F401
        from .metrics import booking_holds_gauges

        metrics_gauges_register(name="appointments", function=booking_holds_gauges)
