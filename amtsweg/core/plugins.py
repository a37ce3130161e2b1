"""The registry that each module's provider plugins register with: ``@register("demo")``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings


class PluginRegistry[P]:
    """Plugin classes by slug. ``get`` configures an instance from ``settings.<setting>['providers'][slug]``."""

    def __init__(self, *, kind: str, setting: str) -> None:
        self.kind = kind
        self.setting = setting
        self._classes: dict[str, type[P]] = {}

    def __call__(self, slug: str) -> Callable[[type[P]], type[P]]:
        def decorator(cls: type[P]) -> type[P]:
            if slug in self._classes:
                raise ValueError(f"{self.kind} {slug!r} is registered twice")
            cls.slug = slug  # type: ignore[attr-defined]
            self._classes[slug] = cls
            return cls

        return decorator

    def __contains__(self, slug: object) -> bool:
        return slug in self._classes

    def slugs(self) -> list[str]:
        return list(self._classes)

    def get(self, slug: str, config: dict[str, Any] | None = None) -> P:
        if slug not in self._classes:
            raise KeyError(f"no {self.kind} {slug!r}")
        if config is None:
            config = getattr(settings, self.setting).get("providers", {}).get(slug, {})
        return self._classes[slug](config)  # type: ignore[call-arg]
