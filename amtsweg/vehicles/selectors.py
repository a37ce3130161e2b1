"""The Kfz-Zulassung's reads."""

from __future__ import annotations

from amtsweg.catalogue.models import Service
from amtsweg.core.memo import memo

from .constants import VEHICLE_SERVICES


@memo("vehicles.service_ids")
def vehicle_service_ids() -> frozenset[int]:
    """The ids of the four i-Kfz services, kept per content version: the inbox asks on every page."""
    return frozenset(Service.objects.filter(slug__in=VEHICLE_SERVICES).values_list("pk", flat=True))
