"""The registry of field types.

The engine's own types register when ``formengine.fields`` is imported; a
service module registers its types the same way, in its own ``fields.py``::

    from amtsweg.applications.formengine.registry import field_types

    @field_types.register("vin")
    class VinType(TextType): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .base import FieldType

T = TypeVar("T", bound=type[FieldType])


class Registry:
    """Field types by name. Holds one instance of each type: field types keep no state."""

    def __init__(self) -> None:
        self._types: dict[str, FieldType] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Class decorator: register a FieldType subclass under ``name`` and set its ``name``."""

        def decorator(cls: T) -> T:
            if not (isinstance(cls, type) and issubclass(cls, FieldType)):
                raise TypeError(f"{cls!r} is not a FieldType subclass")
            existing = self._types.get(name)
            # The same class imported twice (e.g. by a test re-importing the module)
            # may replace itself; two different classes under one name are a bug.
            if existing is not None and _qualified(type(existing)) != _qualified(cls):
                raise ValueError(f"field type {name!r} is already registered by {_qualified(type(existing))}")
            cls.name = name
            self._types[name] = cls()
            return cls

        return decorator

    def get(self, name: str) -> FieldType:
        """The field type registered under ``name``; KeyError if there is none."""
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(f"unknown field type {name!r}") from None

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self._types)

    def __contains__(self, name: object) -> bool:
        return name in self._types


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


field_types = Registry()
