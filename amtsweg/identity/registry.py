"""Identity provider plugins register here: ``@register("bundid")``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from .base import IdentityProvider


class Registry:
    def __init__(self) -> None:
        self._classes: dict[str, type[IdentityProvider]] = {}

    def __call__(self, slug: str) -> Callable[[type[IdentityProvider]], type[IdentityProvider]]:
        def decorator(cls: type[IdentityProvider]) -> type[IdentityProvider]:
            if slug in self._classes:
                raise ValueError(f"identity provider {slug!r} is registered twice")
            cls.slug = slug
            self._classes[slug] = cls
            return cls

        return decorator

    def __contains__(self, slug: object) -> bool:
        return slug in self._classes

    def slugs(self) -> list[str]:
        return list(self._classes)

    def get(self, slug: str, config: dict[str, Any] | None = None) -> IdentityProvider:
        """An instance configured from ``settings.IDENTITY['providers'][slug]``."""
        if slug not in self._classes:
            raise KeyError(f"no identity provider {slug!r}")
        if config is None:
            config = settings.IDENTITY.get("providers", {}).get(slug, {})
        return self._classes[slug](config)

    def enabled(self) -> list[IdentityProvider]:
        """The providers switched on in settings (IDENTITY['enabled']), in that order."""
        return [
            provider
            for provider in (self.get(slug) for slug in settings.IDENTITY.get("enabled", []) if slug in self._classes)
            if provider.enabled()
        ]


registry = Registry()
register = registry
