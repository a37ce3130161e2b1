"""The one registry class: entries by key, registered with a decorator when their module is imported.

Every registry in the project builds on ``Registry``: the provider plugins of
payments and identity (``PluginRegistry``), the form engine's field types and
per-service rules, and the back office's case hooks. The rule for a module
imported twice (a test re-importing it, an app's ``ready()`` running again) is
written here once: an entry registered again under the same key, by the same
qualified name, replaces itself instead of running twice; in a registry with
one entry per key (``unique``), a different entry under a taken key is a bug
and raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings


def qualified_name(entry: object) -> str:
    """``module.QualName`` of a class or function; of its class for anything else (e.g. a field type instance)."""
    named = entry if hasattr(entry, "__qualname__") else type(entry)
    return f"{named.__module__}.{named.__qualname__}"


class Registry[T]:
    """Entries by key, in the order registered. ``unique``: one entry per key; otherwise a list of them."""

    def __init__(self, *, kind: str, unique: bool = True) -> None:
        self.kind = kind
        self.unique = unique
        self._entries: dict[str, list[T]] = {}

    def add(self, key: str, entry: T) -> T:
        """Register ``entry`` under ``key`` (see the module docstring for a second registration)."""
        entries = self._entries.setdefault(key, [])
        name = qualified_name(entry)
        if self.unique and entries and qualified_name(entries[0]) != name:
            raise ValueError(f"{self.kind} {key!r} is already registered by {qualified_name(entries[0])}")
        entries[:] = [existing for existing in entries if qualified_name(existing) != name]
        entries.append(entry)
        return entry

    def register(self, key: str) -> Callable[[T], T]:
        """Decorator: ``@registry.register("key")`` adds the decorated class or function."""

        def decorator(entry: T) -> T:
            return self.add(key, entry)

        return decorator

    def remove(self, key: str, entry: T) -> None:
        """Remove an entry again (tests register entries for made-up keys)."""
        entries = self._entries.get(key, [])
        if entry in entries:
            entries.remove(entry)

    def entry(self, key: str) -> T:
        """The entry under ``key`` (the first one); KeyError if there is none."""
        entries = self._entries.get(key)
        if not entries:
            raise KeyError(f"no {self.kind} {key!r}")
        return entries[0]

    def entries(self, key: str) -> list[T]:
        """Every entry under ``key``, in the order registered."""
        return list(self._entries.get(key, []))

    def keys(self) -> list[str]:
        """The keys with an entry, in the order first registered."""
        return [key for key, entries in self._entries.items() if entries]

    def __contains__(self, key: object) -> bool:
        return bool(self._entries.get(key)) if isinstance(key, str) else False


class PluginRegistry[P](Registry[type[P]]):
    """Provider plugin classes by slug: ``@register("demo")``.

    ``get`` configures an instance from ``settings.<setting>['providers'][slug]``.
    """

    def __init__(self, *, kind: str, setting: str) -> None:
        super().__init__(kind=kind)
        self.setting = setting

    def add(self, key: str, entry: type[P]) -> type[P]:
        super().add(key, entry)
        entry.slug = key  # type: ignore[attr-defined]
        return entry

    def __call__(self, slug: str) -> Callable[[type[P]], type[P]]:
        return self.register(slug)

    def slugs(self) -> list[str]:
        return self.keys()

    def get(self, slug: str, config: dict[str, Any] | None = None) -> P:
        cls = self.entry(slug)
        if config is None:
            config = getattr(settings, self.setting).get("providers", {}).get(slug, {})
        return cls(config)  # type: ignore[call-arg]
