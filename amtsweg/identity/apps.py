import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

BUILT_IN = ("email", "bundid", "oidc", "demo")


class IdentityConfig(AppConfig):
    name = "amtsweg.identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        import warnings

        # pysaml2 still imports the CFB mode from its old place; we never use CFB.
        warnings.filterwarnings("ignore", message="CFB has been moved", module="saml2.cryptography.symmetric")
        # The built-in providers register themselves on import.
        for name in BUILT_IN:
            try:
                importlib.import_module(f"{self.name}.contrib.{name}.plugin")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.contrib.{name}.plugin":
                    raise
