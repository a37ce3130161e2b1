"""The Kfz-Zulassung's writes and its calls to the vehicle registry (docs/vehicles.md)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from .ikfz.base import Keeper, RegistryUnavailable, VehicleRegistry
from .ikfz.registry import registry

logger = logging.getLogger(__name__)


def registry_plugin() -> VehicleRegistry:
    """The configured vehicle registry (``VEHICLE_REGISTRY_PROVIDER``); RegistryUnavailable when none is."""
    provider = settings.VEHICLE_REGISTRY["provider"]
    if provider not in registry:
        raise RegistryUnavailable("no vehicle registry is configured")
    return registry.get(provider)


def keeper_from_answers(*, answers: Mapping[str, Any]) -> Keeper | None:
    """The keeper from a form's locked answers ``name``, ``birth_date`` and ``address`` (taken from the eID);
    None while one is missing."""
    name, address = answers.get("name"), answers.get("address")
    try:
        birth_date = datetime.date.fromisoformat(str(answers.get("birth_date", "")))
    except ValueError:
        return None
    if not isinstance(name, Mapping) or not isinstance(address, Mapping):
        return None
    return Keeper(
        family_name=str(name.get("family_name", "")),
        given_names=str(name.get("given_names", "")),
        birth_date=birth_date,
        street=str(address.get("street", "")),
        house_number=str(address.get("number", "")),
        postcode=str(address.get("postcode", "")),
        town=str(address.get("town", "")),
    )
