from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender: AppConfig, **kwargs: object) -> None:
    from .services import roles_ensure

    roles_ensure()


class AccountsConfig(AppConfig):
    name = "amtsweg.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="amtsweg.accounts.roles")
