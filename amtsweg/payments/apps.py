from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "amtsweg.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # The built-in vendor providers register themselves on import; the demo provider, an app of
        # its own, registers in its AppConfig.ready().
        import importlib

        for name in ("girocheckout",):
            try:
                importlib.import_module(f"{self.name}.contrib.{name}.plugin")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.contrib.{name}.plugin":
                    raise
