"""The demo login, a registered identity provider plugin like Open Forms' demo authentication plugin.

It logs the citizen in as one of the demo identity provider's test persons
(``amtsweg.identity.demo_idp.idp.persons``) at the person's own level, with no
SAML and no outside party: for development and tests that need a logged-in
citizen quickly. It is off unless listed in ``IDENTITY_PROVIDERS`` and only
ever in demo mode; production refuses it (settings/production.py).

Demo mode's "Log in with BundID" does not go through it: that is the ``bundid``
plugin talking real SAML to the demo identity provider (``identity/demo_idp``),
as it would to BundID.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...base import IdentityProvider
from ...registry import register


@register("demo")
class DemoLoginProvider(IdentityProvider):
    verbose_name = _("Demo identity provider")
    description = _(
        "This is the demo identity provider with test persons. Nobody is really identified."
        " In production, BundID shows its own pages here."
    )
    max_level = "high"

    def enabled(self) -> bool:
        return bool(settings.DEMO_MODE)

    def check_configuration(self, *, production: bool) -> list[str]:
        return ["the demo login is not allowed in production"] if production else []

    def login_start(self, *, request: HttpRequest, level: str) -> HttpResponse:
        return HttpResponseRedirect(reverse("identity_demo:select"))
