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

from amtsweg.core.registry import Registry as BaseRegistry

from .base import FieldType

T = TypeVar("T", bound=type[FieldType])


class Registry(BaseRegistry[FieldType]):
    """Field types by name. Holds one instance of each type: field types keep no state."""

    def __init__(self) -> None:
        super().__init__(kind="field type")

    def register(self, name: str) -> Callable[[T], T]:  # type: ignore[override]
        """Class decorator: register a FieldType subclass under ``name`` and set its ``name``."""

        def decorator(cls: T) -> T:
            if not (isinstance(cls, type) and issubclass(cls, FieldType)):
                raise TypeError(f"{cls!r} is not a FieldType subclass")
            self.add(name, cls())
            cls.name = name
            return cls

        return decorator

    def get(self, name: str) -> FieldType:
        """The field type registered under ``name``; KeyError if there is none."""
        try:
            return self.entry(name)
        except KeyError:
            raise KeyError(f"unknown field type {name!r}") from None

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self.keys())


field_types = Registry()
