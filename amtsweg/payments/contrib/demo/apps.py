from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoPaymentsConfig(AppConfig):
    """The demo payment provider as its own app, so that its books (``models.py``) carry its own label."""

    name = "amtsweg.payments.contrib.demo"
    label = "payments_demo"
    verbose_name = _("Demo payment provider")

    def ready(self) -> None:
        from . import plugin  # noqa: F401 - registers the provider
