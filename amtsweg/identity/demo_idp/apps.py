from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoIdpConfig(AppConfig):
    """The demo identity provider: a site of its own that the BundID plugin reaches only by its metadata URL."""

    name = "amtsweg.identity.demo_idp"
    label = "demo_idp"
    verbose_name = _("Demo identity provider")
