"""Payment provider plugins register here: ``@register("demo")``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from .base import PaymentProvider


class Registry:
    def __init__(self) -> None:
        self._classes: dict[str, type[PaymentProvider]] = {}

    def __call__(self, slug: str) -> Callable[[type[PaymentProvider]], type[PaymentProvider]]:
        def decorator(cls: type[PaymentProvider]) -> type[PaymentProvider]:
            if slug in self._classes:
                raise ValueError(f"payment provider {slug!r} is registered twice")
            cls.slug = slug
            self._classes[slug] = cls
            return cls

        return decorator

    def __contains__(self, slug: object) -> bool:
        return slug in self._classes

    def slugs(self) -> list[str]:
        return sorted(self._classes)

    def get(self, slug: str, config: dict[str, Any] | None = None) -> PaymentProvider:
        """An instance of the provider, configured from ``settings.PAYMENTS['providers'][slug]``."""
        if slug not in self._classes:
            raise KeyError(f"no payment provider {slug!r}")
        if config is None:
            config = settings.PAYMENTS.get("providers", {}).get(slug, {})
        return self._classes[slug](config)


registry = Registry()
register = registry
