"""Identity provider plugins register here: ``@register("bundid")``."""

from __future__ import annotations

from django.conf import settings

from amtsweg.core.registry import PluginRegistry

from .base import IdentityProvider


class IdentityRegistry(PluginRegistry[IdentityProvider]):
    def enabled(self) -> list[IdentityProvider]:
        """The providers switched on in settings (IDENTITY['enabled']), in that order."""
        return [
            provider
            for provider in (self.get(slug) for slug in settings.IDENTITY.get("enabled", []) if slug in self)
            if provider.enabled()
        ]


registry = IdentityRegistry(kind="identity provider", setting="IDENTITY")
register = registry
