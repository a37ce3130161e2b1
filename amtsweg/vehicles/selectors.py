"""The Kfz-Zulassung's reads."""

from __future__ import annotations

from typing import Any

from amtsweg.catalogue.models import Service
from amtsweg.core.memo import memo

from .constants import VEHICLE_SERVICES, Transaction, TransferVariant


@memo("vehicles.service_ids")
def vehicle_service_ids() -> frozenset[int]:
    """The ids of the four i-Kfz services, kept per content version: the inbox asks on every page."""
    return frozenset(Service.objects.filter(slug__in=VEHICLE_SERVICES).values_list("pk", flat=True))


def application_gets_seals(*, application: Any) -> bool:
    """Whether new plate seals come by post with the approval: for a new plate, and for plates whose seals were
    removed when the vehicle was taken off the road (a new registration, a re-registration, a transfer with a
    new plate). An address change, and a change of keeper or a move that keeps the plate, keep the seals that
    are on the plates; only the registration certificate part I is posted."""
    if application.transaction in (Transaction.NEW_REGISTRATION, Transaction.REREGISTRATION):
        return True
    if application.transaction != Transaction.TRANSFER:
        return False
    if application.variant == TransferVariant.ADDRESS_CHANGE:
        return False
    return (application.case.submission.answers or {}).get("keep_plate") is not True
