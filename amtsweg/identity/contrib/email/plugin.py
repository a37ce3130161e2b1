"""Login by email link (trust level "basic"): a signed, single-use link that expires after 15 minutes.

The link opens a page with a button; only pressing it (POST) uses the token,
so that mail scanners that fetch links do not use it up. Requests for links
are rate-limited per address and per IP address.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...base import IdentityProvider
from ...registry import register


@register("email")
class EmailLinkProvider(IdentityProvider):
    verbose_name = _("an email link")
    description = _("We send a link to your email address. Enough for services without ID checks.")
    max_level = "basic"

    def login_start(self, *, request: HttpRequest, level: str) -> HttpResponse:
        return HttpResponseRedirect(reverse("identity_email:request"))
